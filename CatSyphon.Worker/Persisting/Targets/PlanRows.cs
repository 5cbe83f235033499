namespace CatSyphon.Worker.Persisting.Targets;

/// <summary>The <c>plans</c> and <c>plan_versions</c> rows of new session ends and plan-writing tool calls.</summary>
internal static class PlanRows
{
    private static readonly string UpsertPlanSql = $"""
        INSERT INTO plans AS p (id, conversation_id, identifier, title, status, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $6)
        ON CONFLICT (conversation_id, identifier) DO UPDATE SET
            {Sql.IncomingOrStored("EXCLUDED", "p", "title", "status")},
            updated_at = EXCLUDED.updated_at
        """;

    // Each distinct content is one version, numbered after the plan's existing ones.
    private const string InsertVersionsSql = """
        INSERT INTO plan_versions (id, plan_id, version, content, created_at)
        SELECT n.id, n.plan_id, n.base + row_number() OVER (ORDER BY n.ord), n.content, $5
        FROM (
            SELECT v.id, p.id AS plan_id, v.content, v.ord,
                   COALESCE((SELECT max(x.version) FROM plan_versions x WHERE x.plan_id = p.id), 0) AS base
            FROM plans p
            CROSS JOIN unnest($3::uuid[], $4::text[]) WITH ORDINALITY AS v(id, content, ord)
            WHERE p.conversation_id = $1 AND p.identifier = $2
              AND NOT EXISTS (SELECT 1 FROM plan_versions x WHERE x.plan_id = p.id AND x.content = v.content)
        ) n
        """;

    private const string MarkHasPlanSql = "UPDATE conversations SET has_plan = true WHERE id = ANY($1::uuid[]) AND NOT has_plan";

    /// <summary>Plans in the order their events were written, so versions are numbered in that order.</summary>
    public static void Add(NpgsqlBatch batch, List<(EventRow Row, SessionEndInfo Facts)> sources)
    {
        var withPlans = new HashSet<Guid>();
        foreach (var (source, facts) in sources.OrderBy(source => source.Row.Sequence))
        {
            foreach (var plan in facts.Plans)
            {
                batch.BatchCommands.Add(Sql.Command(
                    UpsertPlanSql, Guid.CreateVersion7(), source.ConversationId, plan.Identifier, plan.Title, plan.Status, facts.EndedAt));
                if (plan.Versions.Count > 0)
                {
                    batch.BatchCommands.Add(Sql.Command(
                        InsertVersionsSql,
                        source.ConversationId,
                        plan.Identifier,
                        plan.Versions.Select(_ => Guid.CreateVersion7()).ToArray(),
                        plan.Versions.ToArray(),
                        facts.EndedAt));
                }

                withPlans.Add(source.ConversationId);
            }
        }

        if (withPlans.Count > 0)
        {
            batch.BatchCommands.Add(Sql.Command(MarkHasPlanSql, withPlans.ToArray()));
        }
    }
}
