using CatSyphon.Web.Components.Shared;

namespace CatSyphon.Web.Tests;

public sealed class HighlightedSnippetTests : WebComponentTest
{
    [Fact]
    public void Only_the_apis_mark_tags_become_markup_and_log_text_stays_text()
    {
        var snippet = Render<HighlightedSnippet>(parameters => parameters
            .Add(p => p.Snippet, "<script>alert(1)</script> fix the <mark>tokenizer</mark> & <b>bold</b> <mark>parser</mark>"));

        Assert.Equal(["tokenizer", "parser"], snippet.FindAll("mark").Select(mark => mark.TextContent));
        Assert.Empty(snippet.FindAll("script"));
        Assert.Empty(snippet.FindAll("b"));
        Assert.Equal("<script>alert(1)</script> fix the tokenizer & <b>bold</b> parser", snippet.Find(".snippet").TextContent);
    }

    [Theory]
    [InlineData("no match here", "no match here|")]
    [InlineData("<mark>all</mark>", "all*|")]
    [InlineData("a <mark>b</mark> c <mark>d", "a |b*| c <mark>d|")]
    [InlineData("</mark> stray <mark>x</mark>", "</mark> stray |x*|")]
    public void Snippets_split_at_complete_mark_pairs(string snippet, string expected)
    {
        var parts = string.Concat(SnippetParts.Split(snippet).Select(part => part.Text + (part.Highlighted ? "*" : "") + "|"));

        Assert.Equal(expected, parts);
    }
}
