namespace CatSyphon.IntegrationTests;

/// <summary>
/// A Claude Code log tree written by the test: sessions of alternating prompts and replies, each reply with its own
/// usage (deterministic), spread over a few projects; sessions can grow afterwards, as live logs do.
/// </summary>
public sealed class GeneratedTree(string projects)
{
    private readonly List<(string Path, string SessionId)> sessions = [];
    private readonly Random random = new(20261205);
    private int lines;

    /// <summary>Adds new sessions of the given length.</summary>
    public void Write(int sessions, int linesEach)
    {
        for (var i = 0; i < sessions; i++)
        {
            var sessionId = $"5e55{this.sessions.Count:D4}-0000-4000-8000-{random.NextInt64(1L << 40):x12}";
            var project = Directory.CreateDirectory(Path.Combine(projects, $"-home-dev-project{this.sessions.Count % 3}"));
            var path = Path.Combine(project.FullName, $"{sessionId}.jsonl");
            this.sessions.Add((path, sessionId));
            Append(path, sessionId, linesEach);
        }
    }

    /// <summary>Appends lines to the first sessions written.</summary>
    public void Grow(int sessions, int linesEach)
    {
        foreach (var (path, sessionId) in this.sessions.Take(sessions))
        {
            Append(path, sessionId, linesEach);
        }
    }

    private void Append(string path, string sessionId, int count) =>
        File.AppendAllLines(path, Enumerable.Range(0, count).Select(_ => Line(sessionId, lines++)));

    private string Line(string sessionId, int index)
    {
        var timestamp = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero).AddSeconds(index * 7).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        var head = $"\"sessionId\":\"{sessionId}\",\"uuid\":\"u-{index}\",\"timestamp\":\"{timestamp}\",\"version\":\"2.1.39\",\"cwd\":\"/home/dev/project\"";
        if (index % 2 == 0)
        {
            return $"{{\"type\":\"user\",{head},\"message\":{{\"role\":\"user\",\"content\":\"Request number {index}\"}}}}";
        }

        return $"{{\"type\":\"assistant\",{head},\"requestId\":\"req_{index}\",\"isSidechain\":false,\"message\":{{\"id\":\"msg_{index}\"," +
               $"\"model\":\"claude-sonnet-4-5\",\"role\":\"assistant\",\"content\":[{{\"type\":\"text\",\"text\":\"Reply {index}\"}}]," +
               $"\"usage\":{{\"input_tokens\":{random.Next(1, 5000)},\"output_tokens\":{random.Next(1, 2000)}," +
               $"\"cache_creation_input_tokens\":{random.Next(0, 10000)},\"cache_read_input_tokens\":{random.Next(0, 50000)}}}}}}}";
    }
}
