using CatSyphon.Protocol.Internal;

namespace CatSyphon.Protocol.Parsing.Claude;

/// <summary>
/// The growing buffers a parse writes every event through: the event writer, and the text of the message and of the
/// tool result being built. A thread keeps them from one parse to the next, since a scan parses hundreds of files per
/// thread and buffers made for each file regrew from a few KiB every time (that growth alone was about 6% of a scan's
/// CPU samples, before the collections it caused).
/// </summary>
internal sealed class ParseBuffers : IDisposable
{
    // Buffers that one huge line grew past this are let go rather than held by the thread for good.
    private const int MaxKeptBytes = 4 * 1024 * 1024;

    [ThreadStatic]
    private static ParseBuffers? t_kept;

    private ParseBuffers()
    {
    }

    public ContentHashedEventWriter Events { get; } = new();

    public JsonTextJoiner Text { get; } = new();

    public JsonTextJoiner ResultText { get; } = new();

    /// <summary>The buffers this thread kept, else new ones; <see cref="Dispose"/> gives them back.</summary>
    public static ParseBuffers Take()
    {
        var buffers = t_kept ?? new ParseBuffers();
        t_kept = null;
        return buffers;
    }

    public void Dispose()
    {
        if (Events.Capacity <= MaxKeptBytes && Text.Capacity <= MaxKeptBytes && ResultText.Capacity <= MaxKeptBytes)
        {
            t_kept = this;
        }
        else
        {
            Events.Dispose();
        }
    }
}
