using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static CatSyphon.Protocol.Tests.TestJson;

namespace CatSyphon.Protocol.Tests;

public class EventHashTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string H(string data, EventType type = EventType.Message, DateTimeOffset? at = null) =>
        EventHash.Compute(type, at ?? T0, Element(data));

    [Fact]
    public void Is_lowercase_hex_sha256_of_the_documented_framing()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(
            Encoding.UTF8.GetBytes("message\n2026-01-01T00:00:00.0000000Z\n{\"a\":1,\"b\":\"x\"}")));
        Assert.Equal(expected, H("""{ "b": "x", "a": 1 }"""));
        Assert.Matches("^[0-9a-f]{64}$", expected);
        Assert.Equal(EventHash.Length, expected.Length);
    }

    [Fact]
    public void Key_order_does_not_matter_at_any_depth()
    {
        Assert.Equal(
            H("""{"a":1,"b":{"x":1,"y":[{"p":1,"q":2}]}}"""),
            H("""{"b":{"y":[{"q":2,"p":1}],"x":1},"a":1}"""));
    }

    [Fact]
    public void Array_order_matters()
    {
        Assert.NotEqual(H("""{"a":[1,2]}"""), H("""{"a":[2,1]}"""));
    }

    [Fact]
    public void Whitespace_does_not_matter()
    {
        Assert.Equal(H("""{"a":[1,2],"b":"x y"}"""), H("{\n  \"a\" : [ 1 , 2 ] ,\r\n\t\"b\" : \"x y\"\n}"));
    }

    [Fact]
    public void Null_top_level_fields_are_ignored_but_nested_nulls_are_not()
    {
        Assert.Equal(H("""{"a":1}"""), H("""{"a":1,"x":null}"""));
        Assert.Equal(H("""{}"""), H("""{"x":null,"y":null}"""));
        Assert.NotEqual(H("""{"o":{}}"""), H("""{"o":{"x":null}}"""));
        Assert.NotEqual(H("""{"a":[]}"""), H("""{"a":[null]}"""));
    }

    [Fact]
    public void String_escapes_are_normalized()
    {
        Assert.Equal(H("""{"a":"a/é😀"}"""), H("""{"a":"\u0061\/\u00E9\ud83d\ude00"}"""));
        Assert.Equal(H("""{"a":"line\nbreak"}"""), H("""{"a":"line\u000abreak"}"""));
        Assert.Equal(H("""{"\u0061":1}"""), H("""{"a":1}"""));
        Assert.Equal("""{"a":"x\ny\u0001\"\\/é"}""", EventHash.CanonicalData(Element("""{"a":"x\u000Ay\u0001\"\\\/\u00e9"}""")));
    }

    [Fact]
    public void Numbers_are_hashed_as_their_literal_text()
    {
        Assert.NotEqual(H("""{"n":1}"""), H("""{"n":1.0}"""));
        Assert.Equal("""{"n":1.50e3}""", EventHash.CanonicalData(Element("""{ "n" : 1.50e3 }""")));
    }

    [Fact]
    public void Canonical_form_sorts_keys_ordinally()
    {
        Assert.Equal(
            """{"B":2,"a":{"c":[1,{"d":true,"e":false}],"é":null},"ab":"x"}""",
            EventHash.CanonicalData(Element("""{"ab":"x","a":{"é":null,"c":[1,{"e":false,"d":true}]},"B":2,"z":null}""")));
    }

    [Fact]
    public void Large_objects_sort_the_same_regardless_of_order()
    {
        var keys = Enumerable.Range(0, 40).Select(i => $"k{i:D2}").ToArray();
        var forward = "{" + string.Join(",", keys.Select(k => $"\"{k}\":\"{k}\"")) + "}";
        var backward = "{" + string.Join(",", keys.Reverse().Select(k => $"\"{k}\":\"{k}\"")) + "}";
        Assert.Equal(H(forward), H(backward));
        Assert.Equal(forward, EventHash.CanonicalData(Element(backward)));
    }

    [Fact]
    public void Timestamp_formats_of_the_same_instant_hash_the_same()
    {
        var hashes = new[] { "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T01:00:00+01:00\"", "1767225600" }
            .Select(json =>
            {
                Assert.True(ProtocolTimestamp.TryParse(Element(json), out var at));
                return H("""{"a":1}""", at: at);
            })
            .Distinct()
            .ToArray();
        Assert.Single(hashes);
        Assert.Equal(H("""{"a":1}""", at: new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.FromHours(9))), hashes[0]);
    }

    [Fact]
    public void Data_type_and_time_all_matter()
    {
        var reference = H("""{"a":1}""");
        Assert.NotEqual(reference, H("""{"a":2}"""));
        Assert.NotEqual(reference, H("""{"a":"1"}"""));
        Assert.NotEqual(reference, H("""{"A":1}"""));
        Assert.NotEqual(reference, H("""{"a":1,"b":1}"""));
        Assert.NotEqual(reference, H("""{"a":1}""", EventType.Metadata));
        Assert.NotEqual(reference, H("""{"a":1}""", at: T0.AddTicks(1)));
        Assert.NotEqual(reference, H("""{"a":1}""", at: T0.AddSeconds(1)));
    }

    [Fact]
    public void String_and_enum_overloads_agree()
    {
        Assert.Equal(H("{}", EventType.ToolCall), EventHash.Compute("tool_call", T0, Element("{}")));
    }

    [Fact]
    public void Raw_input_and_its_sanitized_text_hash_the_same()
    {
        const string raw = """{"c":"x\u0000y","\ud800":"\udc00","ok":"\ud83d\ude00"}""";
        var sanitized = ProtocolJsonSanitizer.Sanitize(Element(raw), "data", null);
        Assert.Equal(H(raw), H(sanitized));
        Assert.Equal("{\"c\":\"x\uFFFDy\",\"ok\":\"😀\",\"\uFFFD\":\"\uFFFD\"}", EventHash.CanonicalData(Element(raw)));
    }

    [Fact]
    public void Non_object_data_is_hashed_too()
    {
        Assert.NotEqual(H("[1]"), H("[1,2]"));
        Assert.NotEqual(H("null"), H("{}"));
        Assert.Equal(H("null"), EventHash.Compute(EventType.Message, T0, default(JsonElement)));
    }

    [Fact]
    public void Hashing_allocates_little_beyond_the_result()
    {
        // Not a timing test: a guard that the hot path stays on pooled buffers.
        var data = Element("{" + string.Join(",", Enumerable.Range(0, 12).Select(i => $"\"k{i}\":\"{new string('v', 500)}\\n\"")) + ",\"n\":{\"a\":[1,2,3]}}");
        var perCall = AllocatedPerCall(() => EventHash.Compute(EventType.Message, T0, data));
        // Expected: the 64-char result string and one small buffer-owner object (about 300 bytes).
        Assert.True(perCall < 1024, $"EventHash.Compute allocated {perCall} bytes per call for ~6 KB of data.");
    }

    [Fact]
    public void Sanitizing_clean_data_allocates_about_the_result_string()
    {
        var json = "{" + string.Join(",", Enumerable.Range(0, 12).Select(i => $"\"k{i}\":\"{new string('v', 500)}\\n\"")) + "}";
        var data = Element(json);
        var allocated = AllocatedPerCall(() => ProtocolJsonSanitizer.Sanitize(data, "d", null));
        Assert.True(allocated < (json.Length * 2) + 1024, $"Sanitize allocated {allocated} bytes for {json.Length} characters.");
    }

    /// <summary>Average bytes allocated per call, after a warm-up long enough for tiered JIT noise to fade.</summary>
    private static long AllocatedPerCall(Action action)
    {
        for (var i = 0; i < 500; i++)
        {
            action();
        }

        const int calls = 200;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }
}
