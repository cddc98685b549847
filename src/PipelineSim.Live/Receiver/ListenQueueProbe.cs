using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PipelineSim.Live.Receiver;

/// <summary>
/// Reads a listening socket's accept queue from Linux's <c>/proc/net/tcp</c>: for a socket in LISTEN state the kernel
/// reports the connections completed but not yet accepted as rx_queue. This is the backlog that fills while a receiver
/// sits at its conn_limit, which Alloy itself cannot see.
/// </summary>
internal static class ListenQueueProbe
{
    private const string ListenState = "0A";

    /// <summary>Null where the table is unavailable (not Linux) or the socket is not found.</summary>
    public static int? TryRead(IPEndPoint listener)
    {
        string path = listener.AddressFamily == AddressFamily.InterNetworkV6 ? "/proc/net/tcp6" : "/proc/net/tcp";
        try
        {
            if (!File.Exists(path)) return null;
            string local = Hex(listener);
            foreach (string line in File.ReadLines(path).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue ...
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 5 || fields[3] != ListenState || !fields[1].Equals(local, StringComparison.OrdinalIgnoreCase)) continue;
                // tx_queue:rx_queue; tx_queue is not the backlog's capacity on every kernel, so only rx_queue is read.
                return int.Parse(fields[4].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The kernel prints each 32-bit word of the address in host (little-endian) order, the port big-endian.</summary>
    private static string Hex(IPEndPoint endPoint)
    {
        byte[] address = endPoint.Address.GetAddressBytes();
        var text = new System.Text.StringBuilder();
        for (int word = 0; word < address.Length; word += 4)
        {
            for (int i = 3; i >= 0; i--) text.Append(address[word + i].ToString("X2", CultureInfo.InvariantCulture));
        }
        return text.Append(':').Append(endPoint.Port.ToString("X4", CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>What Go's net.Listen passes to listen(2): the kernel's somaxconn (4096 on recent Linux).</summary>
    public static int SystemMaxBacklog()
    {
        try
        {
            if (int.TryParse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), CultureInfo.InvariantCulture, out int value))
                return value;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 4096;
    }
}
