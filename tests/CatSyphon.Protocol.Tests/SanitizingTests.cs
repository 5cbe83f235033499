using static CatSyphon.Protocol.Tests.TestJson;

namespace CatSyphon.Protocol.Tests;

public class SanitizingTests
{
    private const char Fffd = '\uFFFD';

    private static EventBatchValidationResult ValidateData(string data)
    {
        var result = Validate(BatchJson(Event("metadata", data)));
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        AssertAllStringsReadable(result.Events[0].Data);
        return result;
    }

    private static string ContentOf(EventBatchValidationResult result, string property = "content") =>
        JsonDocument.Parse(result.Events[0].Data).RootElement.GetProperty(property).GetString()!;

    [Fact]
    public void Escaped_nul_is_replaced_with_a_warning()
    {
        var result = ValidateData("""{"content":"a\u0000b"}""");
        Assert.Equal($"a{Fffd}b", ContentOf(result));
        Assert.Equal(["events[0].data.content: replaced 1 invalid character"], result.Warnings);
    }

    [Fact]
    public void One_warning_per_path_counts_every_replacement()
    {
        var result = ValidateData("""{"content":"\u0000x\u0000","other":"ok"}""");
        Assert.Equal($"{Fffd}x{Fffd}", ContentOf(result));
        Assert.Equal(["events[0].data.content: replaced 2 invalid characters"], result.Warnings);
    }

    [Theory]
    [InlineData("""\ud800""", "\uFFFD")]
    [InlineData("""\udc00""", "\uFFFD")]
    [InlineData("""x\uDBFFy""", "x\uFFFDy")]
    [InlineData("""\ud800\ud800""", "\uFFFD\uFFFD")]
    [InlineData("""\ude00\ud83d""", "\uFFFD\uFFFD")] // reversed pair
    [InlineData("""\ud83d\u0041""", "\uFFFDA")]
    [InlineData("""\ud83dA""", "\uFFFDA")]
    [InlineData("""end\ud83d""", "end\uFFFD")]
    public void Lone_surrogates_are_replaced(string escaped, string expected)
    {
        var result = ValidateData($$"""{"content":"{{escaped}}"}""");
        Assert.Equal(expected, ContentOf(result));
        var count = expected.Count(c => c == Fffd);
        Assert.Equal([$"events[0].data.content: replaced {count} invalid character{(count == 1 ? "" : "s")}"], result.Warnings);
    }

    [Fact]
    public void A_valid_escaped_pair_is_untouched()
    {
        const string data = """{"content":"smile \ud83d\ude00 \uD83D\uDE00"}""";
        var result = ValidateData(data);
        Assert.Empty(result.Warnings);
        Assert.Equal(data, result.Events[0].Data);
        Assert.Equal("smile 😀 😀", ContentOf(result));
    }

    [Fact]
    public void Raw_utf8_emoji_is_untouched()
    {
        const string data = """{"content":"smile 😀 é"}""";
        var result = ValidateData(data);
        Assert.Empty(result.Warnings);
        Assert.Equal(data, result.Events[0].Data);
    }

    [Fact]
    public void Keys_are_sanitized_too()
    {
        var result = ValidateData("""{"\ud800key":1,"n\u0000":"v"}""");
        var data = JsonDocument.Parse(result.Events[0].Data).RootElement;
        Assert.Equal(1, data.GetProperty($"{Fffd}key").GetInt32());
        Assert.Equal("v", data.GetProperty($"n{Fffd}").GetString());
        Assert.Equal(
            [$"events[0].data[\"{Fffd}key\"]: replaced 1 invalid character", $"events[0].data[\"n{Fffd}\"]: replaced 1 invalid character"],
            result.Warnings);
    }

    [Fact]
    public void A_bad_key_and_its_bad_value_share_one_warning()
    {
        var result = ValidateData("""{"k\u0000":"\ud800\u0000"}""");
        Assert.Equal([$"events[0].data[\"k{Fffd}\"]: replaced 3 invalid characters"], result.Warnings);
    }

    [Fact]
    public void A_bad_key_of_a_container_is_reported_once()
    {
        var result = ValidateData("""{"k\u0000":{"a":1},"z\u0000":[1]}""");
        Assert.Equal(
            [$"events[0].data[\"k{Fffd}\"]: replaced 1 invalid character", $"events[0].data[\"z{Fffd}\"]: replaced 1 invalid character"],
            result.Warnings);
        var data = JsonDocument.Parse(result.Events[0].Data).RootElement;
        Assert.Equal(1, data.GetProperty($"k{Fffd}").GetProperty("a").GetInt32());
    }

    [Fact]
    public void Nested_values_and_array_indexes_are_in_the_path()
    {
        var result = ValidateData("""{"a":{"b":[1,"ok",{"c":"x\u0000"},"\udc00"]},"list":["ok","ok","\u0000"],"d":{"e":{"f":"\ud800"}}}""");
        Assert.Equal(
            [
                "events[0].data.a.b[2].c: replaced 1 invalid character",
                "events[0].data.a.b[3]: replaced 1 invalid character",
                "events[0].data.list[2]: replaced 1 invalid character",
                "events[0].data.d.e.f: replaced 1 invalid character",
            ],
            result.Warnings);
        var data = JsonDocument.Parse(result.Events[0].Data).RootElement;
        Assert.Equal($"x{Fffd}", data.GetProperty("a").GetProperty("b")[2].GetProperty("c").GetString());
        Assert.Equal($"{Fffd}", data.GetProperty("list")[2].GetString());
    }

    [Fact]
    public void Untouched_parts_keep_their_exact_bytes()
    {
        var result = ValidateData("""{ "keep" : "caf\u00e9\n\"q\"" , "fix":"\u0000\t\u001f\"\\/" , "n": 1.50e3 }""");
        var text = result.Events[0].Data;
        // The untouched value keeps its escapes and the whitespace stays; the fixed value is re-encoded canonically.
        Assert.Equal("""{ "keep" : "caf\u00e9\n\"q\"" , "fix":"�\t\u001f\"\\/" , "n": 1.50e3 }""", text);
        Assert.Equal("\uFFFD\t\u001f\"\\/", JsonDocument.Parse(text).RootElement.GetProperty("fix").GetString());
    }

    [Fact]
    public void Invalid_raw_utf8_is_replaced_with_a_warning()
    {
        var prefix = Encoding.UTF8.GetBytes("""{"session_id":"s1","events":[{"type":"metadata","emitted_at":"2026-01-01T00:00:00Z","data":{"content":"a""");
        var suffix = Encoding.UTF8.GetBytes("""b"}}]}""");
        byte[] bad = [0xFF, 0xED, 0xA0, 0x80]; // a stray byte and a CESU-8 encoded lone surrogate
        var result = EventBatchValidator.Validate(Batch([.. prefix, .. bad, .. suffix]), Now);

        Assert.True(result.IsValid);
        Assert.Single(result.Warnings);
        Assert.StartsWith("events[0].data.content: replaced ", result.Warnings[0], StringComparison.Ordinal);
        var content = ContentOf(result);
        Assert.StartsWith("a\uFFFD", content, StringComparison.Ordinal);
        Assert.EndsWith("\uFFFDb", content, StringComparison.Ordinal);
        Assert.DoesNotContain(content, char.IsSurrogate);
    }

    [Fact]
    public void Session_id_and_event_hash_are_sanitized_with_warnings()
    {
        var result = Validate("""{"session_id":"s\u0000\ud800","events":[{"type":"metadata","emitted_at":1767225600,"event_hash":"h\udc00","data":{"c":"\u0000"}}]}""");

        Assert.True(result.IsValid);
        Assert.Equal($"s{Fffd}{Fffd}", result.SessionId);
        Assert.Equal($"h{Fffd}", result.Events[0].EventHash);
        Assert.Equal(
            [
                "session_id: replaced 2 invalid characters",
                "events[0].event_hash: replaced 1 invalid character",
                "events[0].data.c: replaced 1 invalid character",
            ],
            result.Warnings);
    }

    [Fact]
    public void Invalid_characters_in_required_fields_do_not_throw()
    {
        var result = Validate(BatchJson(Event("tool_call", """{"tool_name":"\ud800","tool_use_id":"\u0000"}""")));
        Assert.True(result.IsValid);
        Assert.Equal(2, result.Warnings.Count);
        var data = JsonDocument.Parse(result.Events[0].Data).RootElement;
        Assert.Equal($"{Fffd}", data.GetProperty("tool_use_id").GetString());
    }

    [Fact]
    public void Invalid_characters_in_an_unknown_type_yield_an_error_not_an_exception()
    {
        var result = Validate(BatchJson(Event("\\ud800", "{}")));
        Assert.Equal(EventBatchValidationStatus.Invalid, result.Status);
        Assert.Contains("events[0].type", result.Errors.Keys);
        Assert.DoesNotContain(result.Errors["events[0].type"][0], char.IsSurrogate);
    }

    [Fact]
    public void Clean_data_is_returned_unchanged()
    {
        const string data = """{"a":"plain","b":"esc\n\t\"\\\/","c":[true,false,null,-1.5e-3],"d":{}}""";
        var result = ValidateData(data);
        Assert.Empty(result.Warnings);
        Assert.Equal(data, result.Events[0].Data);
    }

    [Fact]
    public void Sanitizer_works_on_any_json_value()
    {
        var warnings = new List<string>();
        Assert.Equal("\"a\uFFFD\"", ProtocolJsonSanitizer.Sanitize(Element("\"a\\ud800\""), "metadata", warnings, out var replaced));
        Assert.Equal(1, replaced);
        Assert.Equal(["metadata: replaced 1 invalid character"], warnings);

        Assert.Equal("[1,\"\uFFFD\"]", ProtocolJsonSanitizer.Sanitize(Element("[1,\"\\u0000\"]"), "m", null));
        Assert.Equal("42", ProtocolJsonSanitizer.Sanitize(Element("42"), "m", null));
        Assert.Throws<ArgumentException>(() => ProtocolJsonSanitizer.Sanitize(default, "m", null));
    }

    [Fact]
    public void Long_strings_across_pool_buffer_sizes()
    {
        var longText = new string('x', 100_000);
        var result = ValidateData($$"""{"a":"{{longText}}\u0000","b":"\ud800{{longText}}"}""");
        Assert.Equal(2, result.Warnings.Count);
        Assert.Equal(longText + Fffd, ContentOf(result, "a"));
        Assert.Equal(Fffd + longText, ContentOf(result, "b"));
    }

    [Fact]
    public void Protocol_text_sanitizes_strings()
    {
        Assert.Equal("a\uFFFDb\uFFFD😀", ProtocolText.Sanitize("a\0b\ud800😀", out var replaced));
        Assert.Equal(2, replaced);
        const string clean = "clean 😀";
        Assert.Same(clean, ProtocolText.Sanitize(clean, out replaced));
        Assert.Equal(0, replaced);
    }
}
