using System.ComponentModel.DataAnnotations;

namespace CatSyphon.ApiService.Monitoring;

/// <summary>Storage monitoring (configuration section <c>Monitoring</c>, environment <c>Monitoring__...</c>).</summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Monitoring";

    /// <summary>The disk space the database may use; without it there are no days until the budget is full.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "Monitoring:DiskBudgetBytes must be a positive number of bytes.")]
    public long? DiskBudgetBytes { get; set; }

    /// <summary>How often the storage gauges are measured; scrapes read the last measurement.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Monitoring:SampleInterval must be between 1 second and 1 day.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The UTC days (today included) over which the gauges' growth per day is averaged.</summary>
    [Range(1, 90, ErrorMessage = "Monitoring:GrowthWindowDays must be between 1 and 90.")]
    public int GrowthWindowDays { get; set; } = 14;
}
