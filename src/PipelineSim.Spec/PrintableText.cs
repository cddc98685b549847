using System.Globalization;
using System.Text;

namespace PipelineSim.Spec;

/// <summary>
/// Makes text that came from a file safe to print on one line of a terminal. An error line quotes what it found
/// (a key, a value, a name), and a hostile or damaged file can hold a newline (which would forge a second error
/// line), a carriage return or backspace (which would overwrite the line), or an escape sequence (which would recolour,
/// retitle or clear the terminal). Every problem record that quotes a file (scenario problems, record-file problems) escapes
/// its text with <see cref="Escape"/> in its <c>ToString</c>, the one place it becomes a line.
/// </summary>
public static class PrintableText
{
    /// <summary>
    /// <paramref name="text"/> with every control character written as an escape: <c>\n</c>, <c>\r</c>, <c>\t</c>,
    /// others as <c>\x1B</c> (C0 and DEL) or <c>\u0085</c> (C1, line and paragraph separators, and the bidirectional
    /// overrides that reorder what a reader sees). Printable text, including non-ASCII letters, is unchanged; the
    /// result is one line.
    /// </summary>
    public static string Escape(string text)
    {
        int first = IndexOfUnsafe(text);
        if (first < 0) return text;
        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!IsUnsafe(c))
            {
                escaped.Append(c);
                continue;
            }
            escaped.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                < '\u0080' => string.Create(CultureInfo.InvariantCulture, $@"\x{(int)c:X2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $@"\u{(int)c:X4}"),
            });
        }
        return escaped.ToString();
    }

    private static int IndexOfUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i])) return i;
        }
        return -1;
    }

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) // C0, DEL, C1 (NEL, CSI as U+009B)
        || c is '\u2028' or '\u2029' // line and paragraph separators
        || c is >= '\u202A' and <= '\u202E' // bidirectional embeddings and overrides
        || c is >= '\u2066' and <= '\u2069'; // bidirectional isolates
}
