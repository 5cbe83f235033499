namespace CatSyphon.Protocol.Parsing;

/// <summary>What <see cref="LogTreeScanner.Scan"/> found.</summary>
public sealed record TreeScanResult(
    int Files,
    long Bytes,
    int Lines,
    int MalformedLines,
    long Events,
    int Sessions,
    IReadOnlyDictionary<string, long> EventsByType,
    ScanTotals Tokens,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Walks a directory tree, parses every <c>*.jsonl</c> file that one of the parsers accepts (first match wins),
/// and aggregates events and deduplicated token usage (<see cref="TokenLedger"/>). Files are visited in
/// ordinal path order, so results are deterministic. Reusable by the <c>catsyphon scan</c> command.
/// </summary>
public sealed class LogTreeScanner(IReadOnlyList<ISessionLogParser> parsers)
{
    private const int MaxWarnings = 50;

    /// <summary>Scans <paramref name="root"/>; <paramref name="onEvent"/>, when given, also sees every event.</summary>
    public TreeScanResult Scan(string root, Action<ParsedSessionRef, ParsedEvent>? onEvent = null) => Scan([root], onEvent);

    /// <summary>Scans files and directory trees; a file named twice (or found twice) is read once.</summary>
    public TreeScanResult Scan(IEnumerable<string> paths, Action<ParsedSessionRef, ParsedEvent>? onEvent = null)
    {
        var files = paths.SelectMany(path => File.Exists(path)
                ? [path]
                : Directory.EnumerateFiles(path, "*.jsonl", new EnumerationOptions
                {
                    RecurseSubdirectories = true,
                    IgnoreInaccessible = true,
                    AttributesToSkip = FileAttributes.ReparsePoint,
                }))
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        files.Sort(StringComparer.Ordinal);

        var sink = new AggregatingSink(onEvent);
        var warnings = new List<string>();
        int fileCount = 0, lines = 0, malformed = 0;
        long bytes = 0;
        foreach (var file in files)
        {
            var parser = parsers.FirstOrDefault(p => p.CanParse(file));
            if (parser is null)
            {
                continue;
            }

            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
                var summary = parser.Parse(stream, new ParseRequest(file), sink);
                fileCount++;
                bytes += summary.EndOffset;
                lines += summary.Lines;
                malformed += summary.MalformedLines;
                foreach (var warning in summary.Warnings)
                {
                    if (warnings.Count < MaxWarnings)
                    {
                        warnings.Add($"{file}: {warning}");
                    }
                }
            }
            catch (IOException ex)
            {
                if (warnings.Count < MaxWarnings)
                {
                    warnings.Add($"{file}: {ex.Message}");
                }
            }
            catch (UnauthorizedAccessException ex)
            {
                if (warnings.Count < MaxWarnings)
                {
                    warnings.Add($"{file}: {ex.Message}");
                }
            }
        }

        return new TreeScanResult(fileCount, bytes, lines, malformed, sink.Events, sink.Sessions.Count,
            new SortedDictionary<string, long>(sink.ByType, StringComparer.Ordinal), sink.Ledger.GetTotals(), warnings);
    }

    private sealed class AggregatingSink(Action<ParsedSessionRef, ParsedEvent>? onEvent) : IParsedLogSink
    {
        public TokenLedger Ledger { get; } = new();
        public Dictionary<string, long> ByType { get; } = new(StringComparer.Ordinal);
        public long Events { get; private set; }

        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);

        public void OnEvent(ParsedSessionRef session, ParsedEvent parsedEvent)
        {
            Events++;
            Sessions.Add(session.SessionId);
            ByType[parsedEvent.Type] = ByType.GetValueOrDefault(parsedEvent.Type) + 1;
            onEvent?.Invoke(session, parsedEvent);
        }

        public void OnUsage(TokenUsageRecord usage) => Ledger.Add(usage);
    }
}
