using CatSyphon.Web.Components.Sessions;
using CatSyphon.Web.Markdown;

namespace CatSyphon.Web.Tests;

/// <summary>Session text as Markdown: formatting renders, nothing from the session becomes live markup.</summary>
public sealed class MarkdownTests : WebComponentTest
{
    private const string Hostile = """
        Hello <script>alert('x')</script> and <img src=x onerror=alert(1)> and <b onclick="steal()">bold</b>

        <iframe src="https://evil.example"></iframe>

        [click me](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [relative](/w/other/sessions) <javascript:alert(2)>

        ![tracker](https://evil.example/pixel.png) ![local](file:///etc/passwd)

        [docs](https://learn.microsoft.com/dotnet) <https://example.com/auto> mail <dev@example.com>
        """;

    [Fact]
    public void Script_html_and_javascript_links_in_session_text_never_become_live_markup()
    {
        var view = Render<MarkdownText>(parameters => parameters.Add(p => p.Text, Hostile));
        var root = view.Find("[data-testid=markdown]");

        Assert.Empty(root.QuerySelectorAll("script, img, iframe, b, [onclick], [onerror], [src]"));
        Assert.Contains("<script>alert('x')</script>", root.TextContent);
        Assert.Contains("<img src=x onerror=alert(1)>", root.TextContent);
        var hrefs = root.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(
            ["https://evil.example/pixel.png", "https://learn.microsoft.com/dotnet", "https://example.com/auto", "mailto:dev@example.com"],
            hrefs);
        Assert.All(root.QuerySelectorAll("a"), a => Assert.Contains("noopener", a.GetAttribute("rel")));
        Assert.Contains("click me", root.TextContent);
        Assert.Contains("relative", root.TextContent);
        Assert.Contains("javascript:alert(2)", root.TextContent);
        Assert.Contains("image: tracker", root.TextContent);
        Assert.Contains("local", root.TextContent);
    }

    [Fact]
    public void Code_fences_lists_and_emphasis_render_and_known_languages_are_highlighted()
    {
        const string text = """
            Steps:

            1. **Parse** the log
            2. Store it

            - [x] done

            ```csharp
            var s = "<script>alert(1)</script>"; // comment
            ```

            ```rust
            fn main() { println!("<b>hi</b>"); }
            ```
            """;

        var view = Render<MarkdownText>(parameters => parameters.Add(p => p.Text, text));
        view.Find("button[aria-expanded=false]").Click();
        var root = view.Find("[data-testid=markdown]");

        Assert.Equal(["Parse the log", "Store it"], root.QuerySelectorAll("ol > li").Select(li => li.TextContent.Trim()));
        Assert.NotNull(root.QuerySelector("ol strong"));
        Assert.NotNull(root.QuerySelector("ul input[type=checkbox][checked]"));
        var csharp = root.QuerySelector("div.code-block.language-csharp")!;
        Assert.NotEmpty(csharp.QuerySelectorAll("span[class]"));
        Assert.Contains("\"<script>alert(1)</script>\"", csharp.TextContent);
        Assert.Equal("language-rust", root.QuerySelector("pre.code-block > code")!.ClassName);
        Assert.Contains("<b>hi</b>", root.QuerySelector("pre.code-block > code")!.TextContent);
        Assert.Empty(root.QuerySelectorAll("script, b"));
    }

    [Fact]
    public void A_fence_language_cannot_break_out_of_its_class_attribute()
    {
        var html = SessionMarkdown.ToHtml("```x\"onmouseover=alert(1)\nx\n```");

        Assert.Contains("class=\"language-xonmouseoveralert1\"", html);
        Assert.DoesNotContain("\"onmouseover", html);
    }

    [Fact]
    public void Text_beyond_the_limit_is_plain_text_after_a_note()
    {
        var text = "**start**\n" + new string('a', SessionMarkdown.MaxRenderedCharacters) + "\n**tail**";
        var view = Render<MarkdownText>(parameters => parameters.Add(p => p.Text, text));

        view.Find("button[aria-expanded=false]").Click();

        Assert.NotNull(view.Find("[data-testid=markdown] strong"));
        Assert.Contains("plain text", view.Find("[data-testid=markdown-limit]").TextContent);
        Assert.EndsWith("**tail**", view.Find("pre.log-text").TextContent, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SessionMarkdown.ToHtml(text));
    }
}
