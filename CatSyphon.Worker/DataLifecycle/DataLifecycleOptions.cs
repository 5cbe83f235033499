using System.ComponentModel.DataAnnotations;

namespace CatSyphon.Worker.DataLifecycle;

/// <summary>Settings of erasure and retention (configuration section <c>DataLifecycle</c>).</summary>
public sealed class DataLifecycleOptions
{
    public const string SectionName = "DataLifecycle";

    /// <summary>False stops this replica from running data jobs and scheduling retention.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Sessions deleted in one transaction. Each transaction locks only its own sessions (the advisory locks the
    /// persisting worker takes), so a small batch keeps every other session's ingestion flowing and bounds how long
    /// the sessions being deleted wait.
    /// </summary>
    [Range(1, 1_000)]
    public int SessionsPerBatch { get; set; } = 25;

    /// <summary>How often a replica looks for queued jobs, and for running ones whose worker died.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan JobPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often workspaces with a retention are checked for sessions past it (and once at start).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of one PostgreSQL command of a data job.</summary>
    [Range(1, 3_600)]
    public int CommandTimeoutSeconds { get; set; } = 300;
}
