using System.ComponentModel.DataAnnotations;
using CatSyphon.ApiService.Ingestion;

namespace CatSyphon.ApiService.Tests;

public sealed class IngestionMemoryTests
{
    private const string Info = "# Memory\r\nused_memory:1382160\r\nused_memory_human:1.32M\r\nused_memory_rss:9000000\r\nmaxmemory:1073741824\r\nmaxmemory_policy:noeviction\r\n";

    [Theory]
    [InlineData("used_memory", 1_382_160)]
    [InlineData("maxmemory", 1_073_741_824)]
    [InlineData("used_memory_peak", 0)]
    [InlineData("maxmemory_policy", 0)]
    public void Info_fields_are_read_by_their_exact_name(string name, long expected) =>
        Assert.Equal(expected, IngestionLag.InfoField(Info, name));

    [Fact]
    public void The_default_ingest_options_are_valid() => Assert.Empty(Validate(new IngestOptions()));

    [Theory]
    [InlineData(nameof(IngestOptions.DedupWindow))]
    [InlineData(nameof(IngestOptions.MaxRedisMemoryPercent))]
    [InlineData(nameof(IngestOptions.SessionStateIdleTtl))]
    [InlineData(nameof(IngestOptions.MaxLag))]
    public void Ingest_options_out_of_their_bounds_are_refused_by_name(string property)
    {
        var options = new IngestOptions();
        switch (property)
        {
            case nameof(IngestOptions.DedupWindow): options.DedupWindow = 49; break;
            case nameof(IngestOptions.MaxRedisMemoryPercent): options.MaxRedisMemoryPercent = 100; break;
            case nameof(IngestOptions.SessionStateIdleTtl): options.SessionStateIdleTtl = TimeSpan.FromDays(30); break;
            case nameof(IngestOptions.MaxLag): options.MaxLag = 0; break;
        }

        var error = Assert.Single(Validate(options));
        Assert.Contains(property, error.MemberNames);
        Assert.Contains($"Ingest:{property}", error.ErrorMessage);
    }

    private static List<ValidationResult> Validate(IngestOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
