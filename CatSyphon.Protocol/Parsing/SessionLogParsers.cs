using CatSyphon.Protocol.Parsing.Claude;
using CatSyphon.Protocol.Parsing.Codex;

namespace CatSyphon.Protocol.Parsing;

/// <summary>Every log format CatSyphon reads; the first whose <see cref="ISessionLogParser.CanParse"/> accepts a path parses it.</summary>
public static class SessionLogParsers
{
    public static IReadOnlyList<ISessionLogParser> All { get; } = [new ClaudeCodeLogParser(), new CodexLogParser()];

    public static ISessionLogParser? For(string path) => All.FirstOrDefault(parser => parser.CanParse(path));
}
