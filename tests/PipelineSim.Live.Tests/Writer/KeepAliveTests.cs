using System.Net.Sockets;
using PipelineSim.Core.Options;
using PipelineSim.Live.Time;
using PipelineSim.Live.Writer;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Writer;

[Trait(LiveTrait.Name, LiveTrait.Value)]
public class KeepAliveTests
{
    private static (int Enabled, int Idle, int Interval, int Count) Read(Socket socket) => (
        (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!,
        (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!,
        (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!,
        (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);

    [Fact]
    public void Sockets_get_Gos_keep_alive_15s_15s_9()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        ConnectionTracker.ApplyKeepAlive(socket, TcpKeepAliveOptions.GoDefault, new LiveClock());
        Assert.Equal((1, 15, 15, 9), Read(socket));
    }

    [Fact]
    public void A_scaled_run_scales_them_but_not_below_a_second()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        ConnectionTracker.ApplyKeepAlive(socket, TcpKeepAliveOptions.GoDefault with { Idle = TimeSpan.FromSeconds(60) }, new LiveClock(0.05));
        Assert.Equal((1, 3, 1, 9), Read(socket));
    }
}
