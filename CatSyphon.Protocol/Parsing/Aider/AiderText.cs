using System.Text;

namespace CatSyphon.Protocol.Parsing.Aider;

/// <summary>Turning the bytes of a history line into text that can go on the wire, bounded.</summary>
internal static class AiderText
{
    /// <summary>
    /// The most characters one event's text keeps: a request holds at most 4 MiB, so one reply or output line (a pasted
    /// page, a dumped HTML error) is cut here, with <see cref="CutMark"/> at the end.
    /// </summary>
    public const int MaxChars = 256 * 1024;

    public const string CutMark = "\n[… cut by CatSyphon]";

    /// <summary>
    /// The line as text: invalid UTF-8 becomes U+FFFD (aider itself writes with <c>errors="ignore"</c>), NUL too; a line
    /// longer than <see cref="MaxChars"/> is cut.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var cut = bytes.Length > MaxChars;
        var text = ProtocolText.Sanitize(Encoding.UTF8.GetString(cut ? bytes[..MaxChars] : bytes));
        return cut ? text + CutMark : text;
    }

    /// <summary>The line without the trailing spaces aider adds as a Markdown hard break (<c>"␠␠"</c>).</summary>
    public static ReadOnlySpan<char> WithoutHardBreak(ReadOnlySpan<char> line) => line.TrimEnd(' ');

    /// <inheritdoc cref="WithoutHardBreak(ReadOnlySpan{char})"/>
    public static string WithoutHardBreak(string line) => line.TrimEnd(' ');

    /// <summary>Appends <paramref name="text"/> while <paramref name="builder"/> stays under <see cref="MaxChars"/>.</summary>
    public static void AppendBounded(StringBuilder builder, ReadOnlySpan<char> text)
    {
        var room = MaxChars - builder.Length;
        if (room <= 0)
        {
            return;
        }

        if (text.Length <= room)
        {
            builder.Append(text);
            return;
        }

        builder.Append(text[..CutPoint(text, room)]).Append(CutMark);
    }

    /// <summary>At most <paramref name="maxLength"/> characters of <paramref name="text"/> (a protocol field's limit).</summary>
    public static string Bounded(string text, int maxLength) => text.Length <= maxLength ? text : text[..CutPoint(text, maxLength)];

    // Never between the two halves of a surrogate pair: a lone half is not valid text on the wire.
    private static int CutPoint(ReadOnlySpan<char> text, int length) => char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
}
