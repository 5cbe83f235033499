using static CatSyphon.Protocol.Tests.Parsing.ClaudeTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>Line counts of edits are taken from the JSON text without decoding it: they must equal those of the decoded text.</summary>
public class ClaudeLineCountTests
{
    // JSON string contents as a log holds them: escapes of every kind, around newlines and as newlines.
    public static TheoryData<string> EscapedTexts => new(
        "", "one line", @"a\nb", @"a\nb\n", @"\n", @"\n\n", @"a\u000ab\u000A", @"a\\nb", @"a\\\nb", @"tab\tquote\""\r\n",
        @"\ud83d\ude80\n\u0000", @"é\n日本語");

    [Theory]
    [MemberData(nameof(EscapedTexts))]
    public void Edit_lines_count_as_in_the_decoded_text(string json)
    {
        var decoded = JsonSerializer.Deserialize<string>($"\"{json}\"")!;
        var expected = decoded.Length == 0 ? 0 : decoded.Count(c => c == '\n') + (decoded[^1] == '\n' ? 0 : 1);
        var input = $$$"""{"file_path":"/p/a.cs","old_string":"{{{json}}}","new_string":"x{{{json}}}"}""";

        var r = Parse(Jsonl(Assistant($$"""[{"type":"tool_use","id":"e1","name":"Edit","input":{{input}}}]""")));

        var change = r.Single("tool_call").GetProperty("file_change");
        Assert.Equal(expected, change.GetProperty("lines_deleted").GetInt64());
        var withPrefix = expected == 0 ? 1 : expected;
        Assert.Equal(withPrefix, change.GetProperty("lines_added").GetInt64());
    }

    [Fact]
    public void Edits_that_are_not_objects_count_no_lines()
    {
        var input = """{"file_path":"/p/b.cs","edits":[1,"x",{"old_string":"a\nb","new_string":"c"}]}""";

        var r = Parse(Jsonl(Assistant($$"""[{"type":"tool_use","id":"e2","name":"MultiEdit","input":{{input}}}]""")));

        var change = r.Single("tool_call").GetProperty("file_change");
        Assert.Equal((1L, 2L), (change.GetProperty("lines_added").GetInt64(), change.GetProperty("lines_deleted").GetInt64()));
    }
}
