using System.Net.Sockets;
using System.Text;

namespace PipelineSim.Live.Tests.Support;

/// <summary>What a raw socket got back for one request, as the Go server timeout tables name it.</summary>
internal static class ResponseHead
{
    /// <summary>Reads one response head: "answered" for a 200, "closed" when the server ended the connection instead.</summary>
    public static string Receive(Socket socket)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        try
        {
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (socket.Receive(buffer) == 0) return "closed";
                head.Append((char)buffer[0]);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode != SocketError.TimedOut)
        {
            return "closed";
        }
        Assert.StartsWith("HTTP/1.1 200", head.ToString());
        return "answered";
    }
}
