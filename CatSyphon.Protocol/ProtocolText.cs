using CatSyphon.Protocol.Internal;

namespace CatSyphon.Protocol;

/// <summary>
/// Text that PostgreSQL can store: no U+0000 and no lone surrogates (both become U+FFFD).
/// Use it for any protocol string the API stores that did not go through <see cref="EventBatchValidator"/>.
/// </summary>
public static class ProtocolText
{
    /// <summary>The character invalid text is replaced with (U+FFFD).</summary>
    public const char ReplacementCharacter = JsonStringCodec.Replacement;

    /// <summary>Replaces U+0000 and lone surrogates by U+FFFD; returns the same instance when nothing was replaced.</summary>
    public static string Sanitize(string text, out int replaced)
    {
        ArgumentNullException.ThrowIfNull(text);
        return JsonStringCodec.Repair(text, out replaced);
    }

    /// <inheritdoc cref="Sanitize(string, out int)"/>
    public static string Sanitize(string text) => Sanitize(text, out _);

    /// <summary>The warning text used for <paramref name="path"/> when <paramref name="replaced"/> characters were replaced.</summary>
    public static string ReplacementWarning(string path, int replaced) =>
        $"{path}: replaced {replaced} invalid character{(replaced == 1 ? "" : "s")}";
}
