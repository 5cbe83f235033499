using static CatSyphon.Protocol.Tests.Parsing.GeminiTestSupport;

namespace CatSyphon.Protocol.Tests.Parsing;

/// <summary>
/// What <c>catsyphon scan</c> reports (<see cref="LogTreeScanner"/> over the default registry) for a Gemini CLI home holding
/// the real sessions. The totals are the hand-counted ones of <see cref="GeminiRealLogTests"/>, summed.
/// </summary>
public sealed class GeminiScanTests : IDisposable
{
    private readonly DirectoryInfo home = Directory.CreateTempSubdirectory("catsyphon-gemini-");

    public void Dispose() => home.Delete(recursive: true);

    [Fact]
    public void A_scan_of_a_gemini_home_gives_the_sessions_token_totals()
    {
        var chats = Directory.CreateDirectory(Path.Combine(home.FullName, ".gemini", "tmp", "vibe", "chats")).FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(Fixture("x"))!, "session-*"))
        {
            File.Copy(file, Path.Combine(chats, Path.GetFileName(file)));
        }

        // Not sessions: the project's prompt log and a saved checkpoint sit beside chats/.
        File.WriteAllText(Path.Combine(chats, "..", "logs.json"), """[{"sessionId":"x","messageId":0,"type":"user","message":"hi"}]""");
        File.WriteAllText(Path.Combine(chats, "..", "checkpoint-tag.json"), "[]");
        // The same session found twice (a second copy under another project folder) counts once.
        var copy = Directory.CreateDirectory(Path.Combine(home.FullName, ".gemini", "tmp", "ab14fe39", "chats")).FullName;
        File.Copy(Fixture("session-2025-10-05T07-11-eefc44a3.json"), Path.Combine(copy, "session-2025-10-05T07-11-eefc44a3.json"));

        var scan = new LogTreeScanner(AgentFormatRegistry.Default).Scan(Path.Combine(home.FullName, ".gemini", "tmp"));

        Assert.Equal((6, 5, 0), (scan.Files, scan.Sessions, scan.MalformedLines));
        var tokens = scan.Tokens;
        Assert.Equal(new TokenCounts(495_508, 43_640, 0, 815_125), tokens.Totals);
        Assert.Equal(1_354_273, tokens.Totals.Total);
        Assert.Equal(46, tokens.DistinctResponses);
        Assert.Equal(473_586, tokens.ByDay["2025-10-05"].Total);
        Assert.Equal(397_943 + 178_576, tokens.ByDay["2025-10-11"].Total);
        Assert.Equal(97_289, tokens.ByDay["2026-03-27"].Total);
        Assert.Equal(206_879, tokens.ByDay["2026-04-23"].Total);
        Assert.Equal(473_586 + 397_943 + 178_576, tokens.ByModel["gemini-2.5-pro"].Total);
        Assert.Equal(97_289, tokens.ByModel["gemini-3.1-pro-preview-customtools"].Total);
        Assert.Equal(40_956, tokens.ByModel["gemini-3.1-pro-preview"].Total);
        Assert.Equal(206_879 - 40_956, tokens.ByModel["gemini-3-flash-preview"].Total);
    }
}
