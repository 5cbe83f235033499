namespace CatSyphon.Web.Components.Shared;

/// <summary>How long session text is folded: to its first lines, for plain (FoldableText) and Markdown (MarkdownText) alike.</summary>
public static class TextFold
{
    private const int PreviewLines = 12;
    private const int PreviewCharacters = 1500;

    public static int LineCount(string text) => text.Count(c => c == '\n') + 1;

    public static bool IsLong(string text) => text.Length > PreviewCharacters || LineCount(text) > PreviewLines;

    /// <summary>The first lines of <paramref name="text"/>, at most <see cref="PreviewCharacters"/>, and an ellipsis.</summary>
    public static string Preview(string text)
    {
        var lines = string.Join('\n', text.Split('\n', PreviewLines + 1).Take(PreviewLines));
        return (lines.Length > PreviewCharacters ? lines[..PreviewCharacters] : lines) + " …";
    }
}
