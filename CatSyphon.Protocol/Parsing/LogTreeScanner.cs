using CatSyphon.Protocol.Redaction;

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
    IReadOnlyList<string> Warnings,
    long SecretsRedacted = 0);

/// <summary>
/// Walks a directory tree, parses every file that one of the formats recognises (first match wins),
/// and aggregates events and deduplicated token usage (<see cref="TokenLedger"/>). Files are parsed on every
/// core at once, each worker into its own ledger; each usage record carries its place in ordinal path order,
/// so the joined ledgers give the result of a sequential read. Each event's data goes through the redaction the
/// collector applies before sending, so the scan counts the secrets a push would redact (and costs what it costs).
/// Used by the <c>catsyphon scan</c> command.
/// </summary>
public sealed class LogTreeScanner(AgentFormatRegistry formats)
{
    private const int MaxWarnings = 50;

    public TreeScanResult Scan(string root) => Scan([root]);

    /// <summary>Scans files and directory trees; a file named twice (or found twice) is read once.</summary>
    public TreeScanResult Scan(IEnumerable<string> paths)
    {
        var files = formats.FindLogs(paths, new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
        });

        var outcomes = new FileOutcome[files.Count];
        var workers = new List<ScanSink>();
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new ScanSink(),
            (index, _, sink) =>
            {
                outcomes[index] = ParseFile(files[index], index, sink);
                return sink;
            },
            sink =>
            {
                lock (workers)
                {
                    workers.Add(sink);
                }
            });

        var warnings = new List<string>();
        int fileCount = 0, lines = 0, malformed = 0;
        long bytes = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome.Summary is { } summary)
            {
                fileCount++;
                bytes += summary.EndOffset;
                lines += summary.Lines;
                malformed += summary.MalformedLines;
            }

            foreach (var warning in outcome.Warnings)
            {
                if (warnings.Count < MaxWarnings)
                {
                    warnings.Add($"{outcome.File}: {warning}");
                }
            }
        }

        // The largest worker ledger takes in the others: the join runs on one core while the rest idle, and copying
        // that ledger's entries too would double it.
        var ledger = workers.Count == 0 ? new TokenLedger() : workers.MaxBy(w => w.Ledger.RecordCount)!.Ledger;
        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var sessions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var worker in workers)
        {
            if (worker.Ledger != ledger)
            {
                ledger.AddFrom(worker.Ledger);
            }

            foreach (var (type, count) in worker.ByType)
            {
                byType[type] = byType.GetValueOrDefault(type) + count;
            }

            sessions.UnionWith(worker.Sessions);
        }

        return new TreeScanResult(fileCount, bytes, lines, malformed, workers.Sum(w => w.Events), sessions.Count,
            byType, ledger.GetTotals(), warnings, workers.Sum(w => w.SecretsRedacted));
    }

    private FileOutcome ParseFile(string file, int index, ScanSink sink)
    {
        var format = formats.For(file)!;
        var parser = format.Parser;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            sink.StartFile(index);
            var summary = parser.Parse(stream, new ParseRequest(file), sink);
            // A database's offset is a mark, not its size: the bytes scanned are the file's.
            summary = format.OffsetIsWatermark ? summary with { EndOffset = stream.Length } : summary;
            return new FileOutcome(file, summary, summary.Warnings);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileOutcome(file, null, [ex.Message]);
        }
    }

    private sealed record FileOutcome(string File, ParseSummary? Summary, IReadOnlyList<string> Warnings);

    /// <summary>One worker's counts, and its own ledger of usage with each record's place in reading order.</summary>
    private sealed class ScanSink : IParsedLogSink
    {
        private long _fileIndex;
        private long _usageInFile;

        public Dictionary<string, long> ByType { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);
        public long Events { get; private set; }
        public long SecretsRedacted { get; private set; }
        public TokenLedger Ledger { get; } = new();

        public void StartFile(int index)
        {
            _fileIndex = index;
            _usageInFile = 0;
        }

        public void OnEvent(ParsedSessionRef session, ParsedEvent parsedEvent) => OnEvent(session, parsedEvent.Type, default, default, parsedEvent.Data);

        // Only counted: the event is built, hashed and redacted, but not copied out of the parser's buffer.
        public void OnEvent(ParsedSessionRef session, string type, DateTimeOffset emittedAt, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> data)
        {
            Count(session, type);
            JsonSecretRedaction.Redact(data, SecretRedactor.Default, out var secrets);
            SecretsRedacted += secrets;
        }

        private void Count(ParsedSessionRef session, string type)
        {
            Events++;
            Sessions.Add(session.SessionId);
            ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(ByType, type, out _);
            count++;
        }

        public void OnUsage(TokenUsageRecord usage)
        {
            Ledger.Add(usage, (_fileIndex << 32) | _usageInFile++);
        }
    }
}
