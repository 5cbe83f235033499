using System.Text.Json.Nodes;
using static CatSyphon.Protocol.Tests.Parsing.GeminiTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>Wrong types anywhere in a real record are read around, never thrown out of Parse, in both layouts.</summary>
public sealed class GeminiHostileInputTests
{
    private static readonly JsonNode?[] Replacements = [null, JsonValue.Create(5), JsonValue.Create(-1), JsonValue.Create(1e300), JsonValue.Create("x"), JsonValue.Create(true)];

    [Fact]
    public void Every_value_of_a_real_record_replaced_by_a_wrong_type_is_parsed_without_an_exception()
    {
        var records = File.ReadLines(Fixture("session-2026-04-23T12-52-0ab84937.jsonl")).ToList();
        var mutations = 0;
        foreach (var record in records)
        {
            foreach (var mutated in Mutations(JsonNode.Parse(record)!, depth: 5))
            {
                mutations++;
                var line = mutated.ToJsonString();
                var journal = Parse(records[0] + "\n" + line + "\n" + """{"$set":{"messages":[""" + line + "]}}\n");
                var document = Parse("""{"sessionId":"s","messages":[""" + line + "]}", "/h/.gemini/tmp/p/chats/session-x.json");
                Assert.Equal(0, journal.Summary.MalformedLines);
                Assert.Equal(0, document.Summary.MalformedLines);
            }
        }

        Assert.True(mutations > 1000, $"{mutations} mutations");
    }

    /// <summary>Copies of <paramref name="root"/> with one value (an object's member or an array's item, to the given depth) replaced, and emptied.</summary>
    private static IEnumerable<JsonNode> Mutations(JsonNode root, int depth)
    {
        var paths = new List<string>();
        Collect(root, "$", depth, paths);
        foreach (var path in paths)
        {
            foreach (var replacement in Replacements.Append(new JsonArray()).Append(new JsonObject()))
            {
                var copy = root.DeepClone();
                Replace(copy, path, replacement?.DeepClone());
                yield return copy;
            }
        }
    }

    private static void Collect(JsonNode? node, string path, int depth, List<string> paths)
    {
        if (depth == 0)
        {
            return;
        }

        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj)
            {
                paths.Add(path + "." + name);
                Collect(value, path + "." + name, depth - 1, paths);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < Math.Min(array.Count, 2); i++)
            {
                paths.Add(path + "[" + i + "]");
                Collect(array[i], path + "[" + i + "]", depth - 1, paths);
            }
        }
    }

    private static void Replace(JsonNode root, string path, JsonNode? value)
    {
        var parent = root;
        var steps = path[1..].Replace("[", ".[").Split('.', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < steps.Length - 1; i++)
        {
            parent = steps[i].StartsWith('[') ? parent![int.Parse(steps[i][1..^1])] : parent![steps[i]];
        }

        var last = steps[^1];
        if (last.StartsWith('['))
        {
            parent![int.Parse(last[1..^1])] = value;
        }
        else
        {
            parent![last] = value;
        }
    }
}
