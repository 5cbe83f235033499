using System.ComponentModel.DataAnnotations;

namespace Microsoft.Extensions.Hosting;

/// <summary>The operators' log files (section <c>Logs</c>; environment <c>Logs__Directory</c>, ...).</summary>
public sealed class LogsOptions
{
    public const string Section = "Logs";

    /// <summary>False: no files at all; the logs still go over OTLP to the dashboard.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the services' folders go; empty: <see cref="DefaultDirectory"/>.</summary>
    public string? Directory { get; set; }

    /// <summary>Files whose day is older than this many days are deleted.</summary>
    [Range(1, 3650)]
    public int RetainedDays { get; set; } = 14;

    /// <summary>A file that reaches this size is closed and the next one of the day started.</summary>
    [Range(1024 * 1024, 10L * 1024 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// <c>/var/log/catsyphon</c> for root, as system services log; otherwise the XDG state folder
    /// (<c>$XDG_STATE_HOME/catsyphon/logs</c>, by default <c>~/.local/state/catsyphon/logs</c>), which the user can write.
    /// </summary>
    public static string DefaultDirectory(bool isRoot, string? xdgStateHome, string home) =>
        isRoot ? "/var/log/catsyphon"
        : Path.Combine(string.IsNullOrWhiteSpace(xdgStateHome) ? Path.Combine(home, ".local", "state") : xdgStateHome, "catsyphon", "logs");

    /// <summary>The folder the files go under: the setting, or the default for this process's user.</summary>
    public string EffectiveDirectory() =>
        !string.IsNullOrWhiteSpace(Directory) ? Directory
        : DefaultDirectory(
            Environment.IsPrivilegedProcess,
            Environment.GetEnvironmentVariable("XDG_STATE_HOME"),
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Fails with the setting's name when a value is out of range, before any file is opened.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new Options.OptionsValidationException(Section, typeof(LogsOptions),
                results.Select(result => $"{Section}:{string.Join(",", result.MemberNames)}: {result.ErrorMessage}"));
        }
    }
}
