namespace PipelineSim.Analysis.Plots;

/// <summary>Reads one label's value from a Prometheus label set written without braces (<c>a="x",b="y"</c>).</summary>
public static class PrometheusLabels
{
    /// <summary>The unescaped value of <paramref name="name"/>, or null when the set has no such label.</summary>
    public static string? Get(string labels, string name)
    {
        int at = 0;
        while (at < labels.Length)
        {
            int equals = labels.IndexOf('=', at);
            if (equals < 0 || equals + 1 >= labels.Length || labels[equals + 1] != '"') return null; // not a label set
            string key = labels[at..equals].Trim();
            var value = new System.Text.StringBuilder();
            int i = equals + 2;
            for (; i < labels.Length && labels[i] != '"'; i++)
            {
                if (labels[i] == '\\' && i + 1 < labels.Length)
                {
                    i++;
                    value.Append(labels[i] == 'n' ? '\n' : labels[i]);
                }
                else value.Append(labels[i]);
            }
            if (key == name) return value.ToString();
            at = i + 1;
            if (at < labels.Length && labels[at] == ',') at++;
        }
        return null;
    }
}
