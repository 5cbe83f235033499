using System.ComponentModel.DataAnnotations;

namespace CatSyphon.Worker.Insights;

/// <summary>Settings of the session tagging (configuration section <c>Insights</c>).</summary>
public sealed class InsightOptions
{
    public const string SectionName = "Insights";

    /// <summary>False stops this replica from tagging sessions.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a replica looks for sessions due (over and untagged, grown, or tagged by older rules), and once at start.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sessions tagged in one transaction: a small batch keeps each transaction short.</summary>
    [Range(1, 500)]
    public int SessionsPerBatch { get; set; } = 20;

    /// <summary>Messages and tool calls read from each end of a session (its first and its last).</summary>
    [Range(10, 5_000)]
    public int RowsPerEnd { get; set; } = 200;

    /// <summary>Timeout of one PostgreSQL command.</summary>
    [Range(1, 3_600)]
    public int CommandTimeoutSeconds { get; set; } = 60;
}
