using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CatSyphon.Web.Markdown;

/// <summary>
/// Session text (prompts, replies, plans) as HTML from Markdown, made harmless: session content is hostile, so raw HTML
/// is written as text, only http, https and mailto links stay links (others become their text), images are never
/// loaded (an http(s) image becomes a link to it, others its alt text), and code blocks are highlighted on the server.
/// </summary>
public static class SessionMarkdown
{
    /// <summary>Characters of one text rendered as Markdown; the rest is shown as plain text.</summary>
    public const int MaxRenderedCharacters = 100_000;

    private const string LinkRel = "nofollow noopener noreferrer";

    private static readonly string[] LinkSchemes = [Uri.UriSchemeHttp, Uri.UriSchemeHttps, Uri.UriSchemeMailto];

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseTaskLists()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    /// <summary>The HTML of <paramref name="markdown"/>, which must be at most <see cref="MaxRenderedCharacters"/> long.</summary>
    public static string ToHtml(string markdown)
    {
        if (markdown.Length > MaxRenderedCharacters)
        {
            throw new ArgumentException($"Render at most {MaxRenderedCharacters} characters as Markdown.", nameof(markdown));
        }

        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        Neutralize(document);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<CodeBlockRenderer>(new HighlightedCodeBlockRenderer());
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>Whether a link may stay a link: an absolute http, https or mailto address.</summary>
    public static bool IsSafeLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && LinkSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);

    private static void Neutralize(MarkdownDocument document)
    {
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!IsSafeLink(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
            else
            {
                autolink.GetAttributes().AddPropertyIfNotExist("rel", LinkRel);
            }
        }

        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            var safe = IsSafeLink(link.Url);
            if (link.IsImage && safe && link.Url is { } url)
            {
                // An image from the session is never fetched by the reader's browser: a link to it instead.
                var text = TextOf(link);
                link.ReplaceBy(Linked(url, string.IsNullOrWhiteSpace(text) ? "image" : "image: " + text), copyChildren: false);
            }
            else if (link.IsImage || !safe)
            {
                var text = TextOf(link);
                link.ReplaceBy(new LiteralInline(string.IsNullOrEmpty(text) ? link.Url ?? "" : text), copyChildren: false);
            }
            else
            {
                link.GetAttributes().AddPropertyIfNotExist("rel", LinkRel);
            }
        }
    }

    private static LinkInline Linked(string url, string text)
    {
        var link = new LinkInline(url, "");
        link.AppendChild(new LiteralInline(text));
        link.GetAttributes().AddPropertyIfNotExist("rel", LinkRel);
        return link;
    }

    private static string TextOf(ContainerInline container) => string.Concat(container.Descendants<Inline>().Select(inline => inline switch
    {
        LiteralInline literal => literal.Content.ToString(),
        CodeInline code => code.Content,
        _ => "",
    }));
}
