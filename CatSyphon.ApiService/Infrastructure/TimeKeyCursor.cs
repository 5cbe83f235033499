namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// The cursor of a list paged by (time, id), newest first: stable while new rows arrive. Its text is opaque to clients:
/// the time's UTC ticks and the id.
/// </summary>
public readonly record struct TimeKeyCursor(DateTimeOffset At, Guid Id)
{
    public static string Format(DateTimeOffset at, Guid id) => $"{at.UtcTicks}_{id:N}";

    public static bool TryParse(string text, out TimeKeyCursor cursor)
    {
        var parts = text.Split('_');
        cursor = default;
        if (parts.Length != 2 || !long.TryParse(parts[0], out var ticks) || !Guid.TryParse(parts[1], out var id)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new TimeKeyCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
