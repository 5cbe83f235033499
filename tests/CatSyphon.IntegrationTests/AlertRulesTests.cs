using System.Text.RegularExpressions;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// deploy/monitoring/catsyphon-alerts.yaml: Prometheus's own validator accepts it, and every metric its rules read is one
/// the services define (a CatSyphon instrument in the code, or ASP.NET Core's request duration), under the name the
/// OpenTelemetry Prometheus exporter gives it.
/// </summary>
public sealed partial class AlertRulesTests
{
    private static readonly string RulesFile = Path.Combine(RepositoryRoot.Path, "deploy", "monitoring", "catsyphon-alerts.yaml");

    /// <summary>Instruments of the framework the services export (ASP.NET Core's server metrics) that the rules may use.</summary>
    private static readonly Instrument[] FrameworkInstruments = [new("Histogram", "http.server.request.duration", "s")];

    [Fact]
    public async Task Promtool_accepts_the_rules()
    {
        Assert.True(File.Exists("/usr/bin/promtool"), "promtool is missing: run scripts/prerequisites.sh (Debian's prometheus package)");
        var check = Process.Start(new ProcessStartInfo("/usr/bin/promtool", ["check", "rules", RulesFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();

        Assert.True(check.ExitCode == 0, output);
        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public void Every_metric_the_rules_read_is_one_the_services_export()
    {
        var exported = DeclaredInstruments().Concat(FrameworkInstruments).SelectMany(PrometheusNames).ToHashSet(StringComparer.Ordinal);
        var used = Expressions(File.ReadAllLines(RulesFile)).SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(used);
        Assert.Empty(used.Except(exported));
        // Each subject the rules promise has a rule.
        Assert.All(new[] { "catsyphon_ingestion_stream_lag", "catsyphon_ingestion_dead_letters", "catsyphon_collectors_stale",
            "http_server_request_duration_seconds_count", "catsyphon_disk_budget_days_left" }, metric => Assert.Contains(metric, used));
    }

    [Fact]
    public void Instrument_names_convert_as_the_prometheus_exporter_names_them()
    {
        Assert.Equal(["catsyphon_db_size_bytes"], PrometheusNames(new("ObservableGauge", "catsyphon.db.size", "By")));
        Assert.Equal(["catsyphon_ingestion_dead_lettered_total"], PrometheusNames(new("Counter", "catsyphon.ingestion.dead_lettered", "{entry}")));
        Assert.Equal(["catsyphon_db_growth_bytes_per_day"], PrometheusNames(new("ObservableGauge", "catsyphon.db.growth", "By/d")));
        Assert.Contains("http_server_request_duration_seconds_count", PrometheusNames(FrameworkInstruments[0]));
    }

    /// <summary>Every instrument CatSyphon's services create (<c>meter.CreateCounter&lt;long&gt;("name", ..., "unit", ...)</c>).</summary>
    private static IEnumerable<Instrument> DeclaredInstruments() =>
        new[] { "CatSyphon.ApiService", "CatSyphon.Worker", "CatSyphon.Web", "CatSyphon.ServiceDefaults", "CatSyphon.Ingestion" }
            .Select(project => Path.Combine(RepositoryRoot.Path, project))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => InstrumentDeclaration().Matches(File.ReadAllText(file)))
            .Select(match => new Instrument(match.Groups["kind"].Value, match.Groups["name"].Value, match.Groups["unit"].Value));

    /// <summary>The series names Prometheus gets for an instrument: dots to underscores, the unit as a suffix, counters' <c>_total</c>.</summary>
    private static string[] PrometheusNames(Instrument instrument)
    {
        var unit = instrument.Unit switch
        {
            "By" => "_bytes",
            "By/d" => "_bytes_per_day",
            "s" => "_seconds",
            "ms" => "_milliseconds",
            var annotation when annotation.Length == 0 || annotation.StartsWith('{') => "",
            var other => throw new InvalidOperationException($"Add the Prometheus suffix of unit '{other}' ({instrument.Name}) to this test."),
        };
        var name = instrument.Name.Replace('.', '_') + unit;
        return instrument.Kind switch
        {
            "Counter" or "ObservableCounter" => [name + "_total"],
            "Histogram" => [name + "_bucket", name + "_sum", name + "_count"],
            _ => [name],
        };
    }

    /// <summary>The PromQL of every <c>expr:</c>, on one line or as a block scalar (<c>expr: |</c> and the lines indented below it).</summary>
    private static IEnumerable<string> Expressions(string[] lines)
    {
        for (var index = 0; index < lines.Length; index++)
        {
            var match = ExprLine().Match(lines[index]);
            if (!match.Success)
            {
                continue;
            }

            if (match.Groups["inline"].Value is not "|" and not ">" and var inline)
            {
                yield return inline;
                continue;
            }

            var indent = match.Groups["indent"].Value.Length;
            var block = lines.Skip(index + 1).TakeWhile(line => line.Trim().Length == 0 || line.Length - line.TrimStart().Length > indent);
            yield return string.Join(' ', block);
        }
    }

    /// <summary>The metric names in an expression: identifiers left once strings, label matchers, ranges and grouping clauses are removed, that are not functions or keywords.</summary>
    private static IEnumerable<string> MetricNames(string expression)
    {
        var bare = Grouping().Replace(Bracketed().Replace(Quoted().Replace(expression, ""), ""), "");
        return Identifier().Matches(bare).Where(m => !m.Groups["call"].Success).Select(m => m.Groups["name"].Value).Where(name => !Keywords.Contains(name));
    }

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"];

    private sealed record Instrument(string Kind, string Name, string Unit);

    // The unit is the first string after the name; an observable instrument's callback (no commas or quotes) comes between.
    [GeneratedRegex(@"\.Create(?<kind>Counter|Histogram|UpDownCounter|Gauge|ObservableGauge|ObservableCounter|ObservableUpDownCounter)(?:<[^>]+>)?\(\s*""(?<name>[^""]+)""\s*,\s*(?:[^"",]+,\s*)?""(?<unit>[^""]*)""")]
    private static partial Regex InstrumentDeclaration();

    [GeneratedRegex("""^(?<indent>\s*)(?:-\s*)?expr:\s*(?<inline>.*?)\s*$""")]
    private static partial Regex ExprLine();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\{[^}]*\}|\[[^\]]*\]")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
