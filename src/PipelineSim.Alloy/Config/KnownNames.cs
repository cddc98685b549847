namespace PipelineSim.Alloy.Config;

/// <summary>
/// The attribute and block names Alloy's decoder accepts in the blocks PipelineSim reads
/// (internal/component/pyroscope/write/write.go, receive_http/receive_http.go, common/net/config.go,
/// common/config/types.go HTTPClientConfig). A name outside them is rejected by Alloy; lint says which known name
/// is nearest, as a typo in <c>remote_timeout</c> silently keeping the default is what a user would not notice.
/// </summary>
internal static class KnownNames
{
    private static readonly string[] HttpClient =
    [
        "bearer_token", "bearer_token_file", "basic_auth", "authorization", "oauth2", "tls_config", "proxy_url",
        "no_proxy", "proxy_from_environment", "proxy_connect_header", "follow_redirects", "enable_http2", "http_headers",
    ];

    public static readonly IReadOnlyList<string> WriteEndpoint =
    [
        "url", "name", "remote_timeout", "min_backoff_period", "max_backoff_period", "max_backoff_retries",
        "retry_on_http_429", "debug_info_upload_timeout", "headers", .. HttpClient,
    ];

    public static readonly IReadOnlyList<string> Write = ["endpoint", "external_labels", "tracing"];

    public static readonly IReadOnlyList<string> ReceiveHttp = ["forward_to", "http", "grpc", "graceful_shutdown_timeout", "debug_info_upload_timeout"];

    public static readonly IReadOnlyList<string> ServerHttp =
    [
        "listen_address", "listen_port", "conn_limit", "server_read_timeout", "server_write_timeout", "server_idle_timeout",
        "tls", "http2",
    ];

    /// <summary>The nearest known name within a third of its length (at least one edit), or null.</summary>
    public static string? Nearest(string given, IEnumerable<string> known) =>
        known.Select(k => (Name: k, Distance: Distance(given, k)))
            .Where(k => k.Distance <= Math.Max(1, k.Name.Length / 3))
            .OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Select(k => k.Name).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
