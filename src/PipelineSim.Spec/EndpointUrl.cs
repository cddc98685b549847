namespace PipelineSim.Spec;

/// <summary>
/// Reads the component an endpoint URL points at: its host. <c>r</c>, <c>http://r</c>, <c>http://r:8080/base</c> and
/// <c>https://r</c> all name component <c>r</c>.
/// </summary>
public static class EndpointUrl
{
    public static string TargetName(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var rest = url.AsSpan();
        int scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) rest = rest[(scheme + 3)..];
        int end = rest.IndexOfAny(':', '/');
        return (end >= 0 ? rest[..end] : rest).ToString();
    }

    public static bool IsTls(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
