namespace CatSyphon.Web.Components.Shared;

/// <summary>A piece of a search snippet and whether the search matched it.</summary>
public readonly record struct SnippetPart(string Text, bool Highlighted);

public static class SnippetParts
{
    private const string Open = "<mark>";
    private const string Close = "</mark>";

    /// <summary>
    /// Splits a snippet at the API's &lt;mark&gt;…&lt;/mark&gt; pairs. Any other text, angle brackets included, stays
    /// text: it is raw log content and is never interpreted as markup.
    /// </summary>
    public static IReadOnlyList<SnippetPart> Split(string snippet)
    {
        var parts = new List<SnippetPart>();
        var position = 0;
        while (position < snippet.Length)
        {
            var open = snippet.IndexOf(Open, position, StringComparison.Ordinal);
            var close = open < 0 ? -1 : snippet.IndexOf(Close, open + Open.Length, StringComparison.Ordinal);
            if (close < 0)
            {
                parts.Add(new SnippetPart(snippet[position..], false));
                break;
            }

            if (open > position)
            {
                parts.Add(new SnippetPart(snippet[position..open], false));
            }

            parts.Add(new SnippetPart(snippet[(open + Open.Length)..close], true));
            position = close + Close.Length;
        }

        return parts;
    }
}
