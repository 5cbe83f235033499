using System.Globalization;
using System.Text;

namespace CatSyphon.Protocol.Parsing.Aider;

/// <summary>
/// Reads <c>.aider.chat.history.md</c> line by line, as aider's own reader splits it (<c>split_chat_history_markdown</c>):
/// <c># aider chat started at</c> starts a session, <c>#### </c> lines are the user's input, <c>&gt; </c> lines are aider's
/// own output, anything else is the model's reply. Consecutive user lines form one prompt (a slash command when it
/// starts with <c>/</c>) and consecutive reply lines one response, since aider writes each in one call; each output line
/// is an event of its own (aider writes them one at a time, so a later read never finds half of one).
/// </summary>
/// <remarks>
/// While <see cref="Muted"/>, lines only move the state on (model, event count), so a read that starts inside a session
/// replays it from its header and gives its events the same timestamps, hashes and models as a read from offset 0.
/// </remarks>
internal sealed class AiderTranscript(ParseRequest request, AiderEvents events)
{
    public const string HeaderPrefix = "# aider chat started at ";

    // The version 0.0–0.4 header (May 2023), with a capital A.
    private const string OldHeaderPrefix = "# Aider chat started at ";
    private const string UserPrefix = "####";
    private const string AppliedEditPrefix = "Applied edit to ";
    private const string CommitPrefix = "Commit ";
    private const string HardBreak = "  ";

    private readonly StringBuilder _block = new();
    private BlockKind _blockKind;
    private long _blockOffset;
    private bool _blockMuted;
    private bool _warnedHeadless;
    private bool _muted;
    private readonly StringBuilder _output = new();
    private bool _outputOpen;
    private long _outputOffset;

    private enum BlockKind
    {
        None,
        User,
        Assistant,
    }

    /// <summary>Whether the lines read now were already sent by an earlier read (before <see cref="ParseRequest.StartOffset"/>).</summary>
    public bool Muted
    {
        get => _muted;
        set
        {
            if (_muted && !value)
            {
                Settle();
            }

            _muted = value;
        }
    }

    /// <summary>Reads one complete line (without its <c>'\n'</c>) that starts at byte <paramref name="offset"/>.</summary>
    public void Read(ReadOnlySpan<byte> bytes, long offset)
    {
        var line = AiderText.Decode(bytes);
        events.Muted = Muted;
        if (line.StartsWith(HeaderPrefix, StringComparison.Ordinal) || line.StartsWith(OldHeaderPrefix, StringComparison.Ordinal))
        {
            EndSession();
            events.StartSession(request.Path, offset, line.AsSpan(HeaderPrefix.Length).Trim());
            return;
        }

        if (!events.InSession)
        {
            WarnHeadless(line, offset);
            return;
        }

        if (_outputOpen && !line.StartsWith(UserPrefix, StringComparison.Ordinal) && !IsOutputLine(line))
        {
            ContinueOutput(line);
            return;
        }

        CloseOutput();
        ReadInSession(line, offset);
    }

    /// <summary>
    /// Ends the read: what is still open is sent. Returns where the next read starts: the header of a session whose
    /// start-up banner is still being written (it is sent whole once its banner ends), else <paramref name="consumed"/>.
    /// </summary>
    public long Finish(long consumed)
    {
        if (events.BannerOpen && events.SessionOffset >= request.StartOffset)
        {
            return events.SessionOffset;
        }

        EndSession();
        return consumed;
    }

    private void ReadInSession(string line, long offset)
    {
        if (line.StartsWith(UserPrefix, StringComparison.Ordinal))
        {
            var text = line.Length > UserPrefix.Length && line[UserPrefix.Length] == ' ' ? line[(UserPrefix.Length + 1)..] : line[UserPrefix.Length..];
            Append(BlockKind.User, AiderText.WithoutHardBreak(text), offset);
        }
        else if (IsOutputLine(line))
        {
            FlushBlock();
            OpenOutput(line, offset);
        }
        else if (line.AsSpan().Trim(' ').IsEmpty)
        {
            if (_blockKind == BlockKind.Assistant)
            {
                Append(BlockKind.Assistant, line, offset);
            }
            else
            {
                FlushBlock(); // a blank line ends the user's input: the next #### is another one
            }
        }
        else
        {
            Append(BlockKind.Assistant, line, offset);
        }
    }

    /// <summary>
    /// <c>&gt; text</c>, or <c>&gt;</c> alone: aider's output. A reply's own <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; REPLACE</c> (the end of an edit
    /// block) is not, though aider's reader takes it for one.
    /// </summary>
    private static bool IsOutputLine(string line) =>
        line.StartsWith("> ", StringComparison.Ordinal) || (line.StartsWith('>') && line.AsSpan(1).Trim(' ').IsEmpty);

    /// <summary>
    /// Aider writes an output as <c>"&gt; " + text + "␠␠\n"</c>, so an output of several lines has <c>&gt; </c> on its first
    /// line only and <c>␠␠</c> on its last: an output line without <c>␠␠</c> goes on over the next lines (a shell command,
    /// the cost that follows a token report with cache counts).
    /// </summary>
    private void OpenOutput(string line, long offset)
    {
        var text = AiderText.WithoutHardBreak(line.AsSpan(1)).TrimStart(' ');
        if (line.EndsWith(HardBreak, StringComparison.Ordinal) || text.IsEmpty)
        {
            ReadOutputLine(text.ToString(), offset);
            return;
        }

        _output.Clear();
        AiderText.AppendBounded(_output, text);
        (_outputOpen, _outputOffset) = (true, offset);
    }

    private void ContinueOutput(string line)
    {
        AiderText.AppendBounded(_output.Append('\n'), AiderText.WithoutHardBreak(line));
        if (line.EndsWith(HardBreak, StringComparison.Ordinal))
        {
            CloseOutput();
        }
    }

    private void CloseOutput()
    {
        if (_outputOpen)
        {
            _outputOpen = false;
            ReadOutputLine(_output.ToString(), _outputOffset);
        }
    }

    private void ReadOutputLine(string text, long offset)
    {
        if (events.BannerOpen)
        {
            events.AddBannerLine(text);
            return;
        }

        if (text.Length == 0)
        {
            return;
        }

        if (AiderTokenReport.TryParse(text) is { } report)
        {
            events.Usage(report, offset);
        }
        else if (text.StartsWith(AppliedEditPrefix, StringComparison.Ordinal))
        {
            events.AppliedEdit(text[AppliedEditPrefix.Length..].Trim(), offset);
        }
        else if (TryReadCommit(text, out var sha, out var message))
        {
            events.Commit(sha, message, offset);
        }
        else
        {
            events.NoteModel(text);
            events.Output(text);
        }
    }

    /// <summary><c>Commit 9760d2f feat: …</c>: aider's own commit (a short hex hash, then the message).</summary>
    private static bool TryReadCommit(string text, out string sha, out string message)
    {
        (sha, message) = ("", "");
        if (!text.StartsWith(CommitPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text.AsSpan(CommitPrefix.Length);
        var space = rest.IndexOf(' ');
        var hash = space < 0 ? rest : rest[..space];
        if (hash.Length is < 7 or > 40 || hash.ContainsAnyExcept("0123456789abcdef"))
        {
            return false;
        }

        (sha, message) = (hash.ToString(), space < 0 ? "" : rest[(space + 1)..].Trim().ToString());
        return true;
    }

    private void Append(BlockKind kind, string text, long offset)
    {
        events.EndBanner();
        if (kind != _blockKind || _blockMuted != Muted)
        {
            FlushBlock();
            (_blockKind, _blockOffset, _blockMuted) = (kind, offset, Muted);
        }

        if (_block.Length > 0)
        {
            _block.Append('\n');
        }

        AiderText.AppendBounded(_block, text);
    }

    private void FlushBlock()
    {
        if (_blockKind == BlockKind.None)
        {
            return;
        }

        events.Muted = _blockMuted;
        var text = _block.ToString().Trim('\n', ' ');
        if (text.Length > 0)
        {
            if (_blockKind == BlockKind.Assistant)
            {
                events.Reply(text);
            }
            else
            {
                events.UserInput(text, _blockOffset);
            }
        }

        events.Muted = Muted;
        _block.Clear();
        _blockKind = BlockKind.None;
    }

    private void EndSession()
    {
        CloseOutput();
        FlushBlock();
        events.EndBanner();
    }

    /// <summary>
    /// The replay has reached the offset: what it still holds open was sent whole by the earlier read (which sent
    /// everything open at its end), so it is closed without being sent again.
    /// </summary>
    private void Settle()
    {
        events.Muted = true;
        CloseOutput();
        FlushBlock();
        events.EndBanner();
    }

    private void WarnHeadless(string line, long offset)
    {
        if (!_warnedHeadless && !Muted && line.Trim().Length > 0)
        {
            _warnedHeadless = true;
            events.Warn($"text before the first '{HeaderPrefix.Trim()}' header skipped (byte {offset.ToString(CultureInfo.InvariantCulture)})");
        }
    }
}
