using System.Net;
using System.Net.Sockets;
using PipelineSim.Live.Receiver;

namespace PipelineSim.Live.Tests.Receiver;

[Trait(LiveTrait.Name, LiveTrait.Value)]
public class ListenQueueProbeTests
{
    [Fact]
    public async Task Reads_the_connections_waiting_to_be_accepted()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc/net/tcp is Linux's
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        var at = (IPEndPoint)listener.LocalEndPoint!;
        Assert.Equal(0, ListenQueueProbe.TryRead(at));

        var clients = Enumerable.Range(0, 3).Select(_ => new TcpClient()).ToList();
        foreach (var client in clients) await client.ConnectAsync(at);
        Assert.Equal(3, ListenQueueProbe.TryRead(at));

        using (await listener.AcceptAsync()) Assert.Equal(2, ListenQueueProbe.TryRead(at));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public void An_unknown_socket_reads_as_null() =>
        Assert.Null(ListenQueueProbe.TryRead(new IPEndPoint(IPAddress.Loopback, 1)));
}
