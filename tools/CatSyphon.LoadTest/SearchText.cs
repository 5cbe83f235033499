using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace CatSyphon.LoadTest;

/// <summary>
/// Message text for the search measurements: words drawn from a 20,000-word vocabulary with Zipf's law (the word of
/// rank r is r times rarer than the most frequent one, as in natural language), so one vocabulary has words in most
/// messages, words in a few percent of them and rare ones, and <see cref="Shapes"/> names queries of each kind. The
/// load's own text (<see cref="EventPayload"/>) repeats about twenty words, so every term is in every message there.
/// </summary>
internal static class SearchText
{
    private const int Vocabulary = 20_000;

    // Made-up words of three syllables: never an English stop word, and the stemmer leaves them apart.
    private static readonly string[] Syllables = [.. "bdfgklmnprtvz".SelectMany(c => "aeiou".Select(v => $"{c}{v}"))];

    private static readonly double[] Cumulative = BuildCumulative();

    /// <summary>The word of rank <paramref name="rank"/> (1 is the most frequent).</summary>
    public static string Word(int rank) =>
        Syllables[rank % Syllables.Length] + Syllables[rank / Syllables.Length % Syllables.Length] +
        Syllables[rank / (Syllables.Length * Syllables.Length) % Syllables.Length];

    /// <summary>A message of 30 to 90 words; <paramref name="ranks"/> receives the rank of each, in order.</summary>
    public static void AppendMessage(StringBuilder text, List<int> ranks, Random random)
    {
        ranks.Clear();
        var words = random.Next(30, 91);
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                text.Append(i % 12 == 0 ? ". " : " ");
            }

            var index = Array.BinarySearch(Cumulative, random.NextDouble());
            var rank = Math.Min(index < 0 ? ~index : index, Vocabulary - 1) + 1;
            ranks.Add(rank);
            text.Append(Word(rank));
        }
    }

    /// <summary>
    /// The query shapes that the queries mode times, each a different query per request (share of the messages that
    /// match, for messages of 60 words on average): one word of rank 200-1,000 (about 0.5-2.5%), three words that must
    /// all be there (ranks 5-14, 20-49 and 60-159: about 0.5-3%), a phrase of two frequent words (ranks 2-9 and 3-13),
    /// a word found nowhere, and a word of rank 1-3 (in 90% or more).
    /// </summary>
    public static readonly (string Name, Func<int, string> Query)[] Shapes =
    [
        ("one word", i => Word(200 + i * 37 % 800)),
        ("several words", i => $"{Word(5 + i % 10)} {Word(20 + i % 30)} {Word(60 + i % 100)}"),
        ("a phrase", i => $"\"{Word(2 + i % 8)} {Word(3 + i % 11)}\""),
        ("a word found nowhere", i => $"{Word(Vocabulary + 1 + i)}"),
        ("a word in most messages", i => Word(1 + i % 3)),
    ];

    /// <summary>
    /// The English lexeme of every word, by rank (index 0 unused), as PostgreSQL's <c>to_tsvector('english', ...)</c>
    /// gives it: with them a message's vector is built here, word i at position i, which is what to_tsvector returns for
    /// these messages (one word per token, no stop words), without spending the database's CPU on stemming.
    /// </summary>
    public static async Task<string[]> LexemesAsync(NpgsqlDataSource dataSource)
    {
        var lexemes = new string[Vocabulary + 1];
        await using var command = dataSource.CreateCommand(
            "SELECT n, (tsvector_to_array(to_tsvector('english', w)))[1] FROM unnest($1::text[]) WITH ORDINALITY AS u(w, n)");
        command.Parameters.AddWithValue(Enumerable.Range(1, Vocabulary).Select(Word).ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lexemes[reader.GetInt64(0)] = reader.GetString(1);
        }

        return lexemes;
    }

    /// <summary>
    /// The search vector of a message whose words had the ranks <paramref name="ranks"/>, in tsvector's binary form
    /// (lexeme count, then each lexeme NUL-terminated with its position count and positions), to be sent as the column's
    /// raw bytes in a binary COPY: Npgsql builds tsvectors only by parsing their text, which it marks as unreliable.
    /// </summary>
    public static byte[] Vector(List<int> ranks, string[] lexemes)
    {
        var words = ranks.Select((rank, i) => (Lexeme: lexemes[rank], Position: i + 1))
            .GroupBy(word => word.Lexeme).OrderBy(group => group.Key, StringComparer.Ordinal).ToList();
        using var bytes = new MemoryStream(ranks.Count * 12);
        using var writer = new BinaryWriter(bytes);
        writer.Write(BinaryPrimitives.ReverseEndianness(words.Count));
        foreach (var group in words)
        {
            writer.Write(Encoding.ASCII.GetBytes(group.Key));
            writer.Write((byte)0);
            writer.Write(BinaryPrimitives.ReverseEndianness((ushort)group.Count()));
            foreach (var word in group)
            {
                writer.Write(BinaryPrimitives.ReverseEndianness((ushort)word.Position));
            }
        }

        writer.Flush();
        return bytes.ToArray();
    }

    private static double[] BuildCumulative()
    {
        var weights = Enumerable.Range(1, Vocabulary).Select(rank => 1.0 / rank).ToArray();
        var total = weights.Sum();
        var cumulative = new double[Vocabulary];
        var sum = 0.0;
        for (var i = 0; i < Vocabulary; i++)
        {
            sum += weights[i] / total;
            cumulative[i] = sum;
        }

        return cumulative;
    }
}
