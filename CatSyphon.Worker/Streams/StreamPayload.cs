namespace CatSyphon.Worker.Streams;

/// <summary>The payload of a stream entry.</summary>
internal static class StreamPayload
{
    /// <summary>The entry's payload field; an entry without one is malformed (it goes to the dead letters).</summary>
    public static byte[] Read(StreamEntry entry)
    {
        foreach (var value in entry.Values)
        {
            if (value.Name == IngestionRedisKeys.PayloadField && !value.Value.IsNull)
            {
                return (byte[])value.Value!;
            }
        }

        throw new FormatException($"The stream entry has no '{IngestionRedisKeys.PayloadField}' field.");
    }
}
