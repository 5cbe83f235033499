using System.Globalization;
using System.Text;

namespace CatSyphon.ApiService.Apis.Query.Insights;

/// <summary>
/// A <see cref="WeeklyDigest"/> as Markdown to paste into a team channel. Titles and names are session text (hostile): each
/// is one line, bounded, with Markdown's punctuation escaped, <c>&lt; &gt; &amp;</c> as entities (no HTML, no Slack
/// <c>&lt;!here&gt;</c>), and mentions, addresses and URLs broken by a zero-width space, so no value can add a link, a
/// ping, formatting or HTML. Only the digest's own links (to the web's session pages) are links.
/// </summary>
public static class DigestMarkdown
{
    /// <summary>A value is cut to this many characters.</summary>
    public const int ValueLength = 200;

    private const char ZeroWidthSpace = '\u200B';

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="linkBase">The web's address, which session links start with (an absolute http(s) address); relative links without it.</param>
    public static string Render(WeeklyDigest digest, string? linkBase = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Weekly digest {digest.Week} ({digest.From:yyyy-MM-dd} to {digest.To.AddDays(-1):yyyy-MM-dd}, UTC)\n\n");
        text.Append(CultureInfo.InvariantCulture, $"| Metric | {digest.Week} | {digest.PreviousWeek} | Change |\n| --- | ---: | ---: | ---: |\n");
        foreach (var metric in digest.Metrics)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {metric.Label} | {DigestMetric.Show(metric.Value)} | {DigestMetric.Show(metric.Previous)} | {DigestMetric.ShowChange(metric.Change)} |\n");
        }

        Sessions(text, "Wins", digest.Wins, linkBase, "no successful session with commits or changed files");
        Sessions(text, "Blockers", digest.Blockers, linkBase, "no failed or abandoned session");
        if (digest.ErrorTargets.Count > 0)
        {
            text.Append("\nMost frequent unresolved errors: ").AppendJoin(", ", digest.ErrorTargets.Select(t => $"{Escape(t.Name)} ({t.Count})")).Append('\n');
        }

        Highlights(text, digest.Highlights, linkBase);
        foreach (var section in digest.Sections)
        {
            text.Append("\n## ").Append(Escape(section.Title)).Append("\n\n");
            foreach (var line in section.Lines)
            {
                text.Append("- ").Append(Escape(line)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// <paramref name="value"/> as inert Markdown text on one line: whitespace collapsed, control characters dropped, cut to
    /// <see cref="ValueLength"/>, punctuation escaped, and mentions, e-mail addresses and URLs broken.
    /// </summary>
    public static string Escape(string? value)
    {
        var line = string.Join(' ', (value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        line = line.Length <= ValueLength ? line : line[..(ValueLength - 1)] + "…";
        var text = new StringBuilder(line.Length + 16);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case '<': text.Append("&lt;"); break;
                case '>': text.Append("&gt;"); break;
                case '&': text.Append("&amp;"); break;
                case '@': text.Append('@').Append(ZeroWidthSpace); break;
                case ':' when line.AsSpan(i).StartsWith("://"): text.Append(':').Append(ZeroWidthSpace); break;
                case '.' when i >= 3 && line.AsSpan(i - 3, 3).Equals("www", StringComparison.OrdinalIgnoreCase): text.Append(ZeroWidthSpace).Append('.'); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '{' or '}' or '#' or '|' or '~' or '!':
                    text.Append('\\').Append(c);
                    break;
                default:
                    if (!char.IsControl(c))
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.ToString();
    }

    private static void Sessions(StringBuilder text, string heading, IReadOnlyList<DigestSession> sessions, string? linkBase, string none)
    {
        text.Append("\n## ").Append(heading).Append("\n\n");
        if (sessions.Count == 0)
        {
            text.Append("- ").Append(none).Append('\n');
        }

        foreach (var session in sessions)
        {
            text.Append("- ").Append(SessionLine(session, linkBase)).Append('\n');
        }
    }

    private static void Highlights(StringBuilder text, DigestHighlights highlights, string? linkBase)
    {
        text.Append("\n## Highlights\n\n");
        if (highlights.LongestSession is { } longest)
        {
            text.Append("- Longest session: ").Append(SessionLine(longest, linkBase)).Append('\n');
        }

        if (highlights.MostActiveProject is { } project)
        {
            text.Append(Invariant, $"- Most active project: {Escape(project.Name)} ({project.Count} sessions)\n");
        }

        text.Append("- New projects: ").Append(List(highlights.NewProjects)).Append('\n');
        text.Append("- New developers: ").Append(List(highlights.NewDevelopers)).Append('\n');
        text.Append("- Top languages: ").Append(highlights.TopLanguages.Count == 0 ? "none" : string.Join(", ", highlights.TopLanguages.Select(l => $"{Escape(l.Name)} ({l.Count})"))).Append('\n');
    }

    private static string SessionLine(DigestSession session, string? linkBase)
    {
        var title = string.IsNullOrWhiteSpace(session.Title) ? "untitled session" : Escape(session.Title);
        var details = new List<string> { Escape(session.Project ?? "no project"), Escape(session.Developer ?? "unknown developer") };
        details.Add(string.Create(Invariant, $"{session.Commits} commits, {session.FilesChanged} files changed"));
        if (session.UnresolvedErrors > 0)
        {
            details.Add(string.Create(Invariant, $"{session.UnresolvedErrors} unresolved errors"));
        }

        if (session.DurationMinutes is { } minutes)
        {
            details.Add(string.Create(Invariant, $"{minutes:0} min"));
        }

        var summary = string.IsNullOrWhiteSpace(session.AiSummary) ? "" : $" — AI summary: {Escape(session.AiSummary)}";
        return $"**{title}** ({ApiJson.Name(session.Outcome)}): {string.Join(", ", details)} [open]({linkBase?.TrimEnd('/')}{session.Link}){summary}";
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names.Select(Escape));
}
