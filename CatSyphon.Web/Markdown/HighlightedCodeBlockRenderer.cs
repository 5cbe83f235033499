using System.Net;
using ColorCode;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace CatSyphon.Web.Markdown;

/// <summary>
/// Code blocks: a fence naming a language ColorCode knows is highlighted on the server (spans with classes styled in
/// app.css); any other block is escaped text with a sanitised <c>language-</c> class.
/// </summary>
internal sealed class HighlightedCodeBlockRenderer : HtmlObjectRenderer<CodeBlock>
{
    private const int MaxLanguageLength = 32;

    private static readonly HtmlClassFormatter Formatter = new();

    protected override void Write(HtmlRenderer renderer, CodeBlock block)
    {
        var code = block.Lines.ToString();
        var language = block is FencedCodeBlock { Info: { Length: > 0 } info } ? CleanLanguage(info) : null;
        var known = language is null ? null : Languages.FindById(language);
        renderer.EnsureLine();
        if (known is not null)
        {
            renderer.Write($"<div class=\"code-block highlighted language-{language}\">");
            renderer.Write(Formatter.GetHtmlString(code, known));
            renderer.WriteLine("</div>");
            return;
        }

        renderer.Write("<pre class=\"code-block\"><code");
        if (language is not null)
        {
            renderer.Write($" class=\"language-{language}\"");
        }

        renderer.Write(">");
        renderer.Write(WebUtility.HtmlEncode(code));
        renderer.WriteLine("</code></pre>");
    }

    /// <summary>The fence's language as a class name: letters, digits, '+', '#', '-' and '_' only, lower case; null when none remain.</summary>
    private static string? CleanLanguage(string info)
    {
        var cleaned = new string([.. info.Take(MaxLanguageLength).TakeWhile(c => !char.IsWhiteSpace(c))
            .Where(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '#' or '-' or '_').Select(char.ToLowerInvariant)]);
        return cleaned.Length == 0 ? null : cleaned;
    }
}
