using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CatSyphon.Data.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.Property(c => c.SessionId).HasMaxLength(ColumnLimits.SessionId);
        builder.Property(c => c.ParentSessionId).HasMaxLength(ColumnLimits.SessionId);
        builder.Property(c => c.Metadata).HasColumnType("jsonb");
        builder.Property(c => c.Title).HasMaxLength(ColumnLimits.Title);

        // A session id names one conversation per workspace.
        builder.HasIndex(c => new { c.WorkspaceId, c.SessionId }).IsUnique();

        // The conversation list pages with a keyset in last-activity order:
        //   ORDER BY last_event_at DESC NULLS LAST, id DESC, the next page WHERE (last_event_at, id) < (cursor).
        // Each of the next three indexes returns such a page already in that order, so a page reads its own
        // rows and no more. Filters on columns with few values (agent type, status, top-level or sub-agent)
        // have no index of their own: a large share of any page passes them, so checking them on the rows
        // read in order is cheaper than a separate index would be to keep on every conversation update.
        InListOrder(builder.HasIndex(c => new { c.WorkspaceId, c.LastEventAt, c.Id }));
        // One project's or one developer's conversations, which may be a small share of the workspace. A
        // project or developer belongs to one workspace, so its id leads; this also serves the foreign keys.
        InListOrder(builder.HasIndex(c => new { c.ProjectId, c.LastEventAt, c.Id }));
        InListOrder(builder.HasIndex(c => new { c.DeveloperId, c.LastEventAt, c.Id }));
        // The started_at range filter of the list, and session analytics over a date range.
        builder.HasIndex(c => new { c.WorkspaceId, c.StartedAt });
        // A conversation's sub-agents (its detail, the parent filter), and the parent foreign key's SET NULL.
        builder.HasIndex(c => c.ParentConversationId).HasFilter("parent_conversation_id IS NOT NULL");
        // Children that arrived before their parent, to link when the parent shows up.
        builder.HasIndex(c => new { c.WorkspaceId, c.ParentSessionId }).HasFilter("parent_session_id IS NOT NULL");
    }

    /// <summary>(scope, last_event_at DESC NULLS LAST, id DESC): the conversation list's order within the leading scope column.</summary>
    private static void InListOrder(IndexBuilder<Conversation> index) =>
        index.IsDescending(false, true, true)
            .HasNullSortOrder(NullSortOrder.Unspecified, NullSortOrder.NullsLast, NullSortOrder.Unspecified);
}

internal sealed class MessageSearchConfiguration : IEntityTypeConfiguration<MessageSearch>
{
    public void Configure(EntityTypeBuilder<MessageSearch> builder)
    {
        builder.ToTable("message_search");
        // Keyed (workspace_id, message_id): a term found in most messages is searched by walking this key backwards, the
        // workspace's newest rows first, until enough matches are found (MessageSearch.MatchesSql). A btree on
        // message_id alone would let the planner walk every workspace's rows in that order and filter on the workspace;
        // so message_id, which the cascade from messages looks rows up by, has a hash index, which has no order.
        builder.HasKey(s => new { s.WorkspaceId, s.MessageId });
        builder.Property(s => s.MessageId).ValueGeneratedNever();
        builder.HasOne(s => s.Message).WithMany().HasForeignKey(s => s.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.MessageId).HasMethod("hash");

        // Ranked full-text search within one workspace: workspace_id = @workspace AND search_vector @@ query on one GIN
        // index (btree_gin gives uuid its GIN operator class), so the bitmap holds only that workspace's matches and no
        // other workspace's row is read, however large the database grows.
        builder.HasIndex(s => new { s.WorkspaceId, s.SearchVector }).HasMethod("gin");
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.Id).UseIdentityByDefaultColumn();
        builder.Property(m => m.EventHash).HasMaxLength(ColumnLimits.EventHash);
        builder.Property(m => m.Model).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(m => m.ApiMessageId).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(m => m.RawData).HasColumnType("jsonb");

        // An event is stored at most once per conversation, forever.
        builder.HasIndex(m => new { m.ConversationId, m.EventHash }).IsUnique();
        builder.HasIndex(m => new { m.ConversationId, m.Sequence });
    }
}

internal sealed class ToolCallConfiguration : IEntityTypeConfiguration<ToolCall>
{
    public void Configure(EntityTypeBuilder<ToolCall> builder)
    {
        builder.Property(t => t.Id).UseIdentityByDefaultColumn();
        builder.Property(t => t.ToolUseId).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(t => t.ToolName).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(t => t.Parameters).HasColumnType("jsonb");

        builder.HasIndex(t => new { t.ConversationId, t.ToolUseId }).IsUnique();
        builder.HasIndex(t => t.ToolName);
    }
}

internal sealed class FileTouchedConfiguration : IEntityTypeConfiguration<FileTouched>
{
    public void Configure(EntityTypeBuilder<FileTouched> builder)
    {
        builder.Property(f => f.Id).UseIdentityByDefaultColumn();

        builder.HasIndex(f => f.ConversationId);
        builder.HasIndex(f => f.Path);
    }
}

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.Property(p => p.Identifier).HasMaxLength(ColumnLimits.PlanIdentifier);

        builder.HasIndex(p => new { p.ConversationId, p.Identifier }).IsUnique();
    }
}

internal sealed class PlanVersionConfiguration : IEntityTypeConfiguration<PlanVersion>
{
    public void Configure(EntityTypeBuilder<PlanVersion> builder)
    {
        builder.HasIndex(v => new { v.PlanId, v.Version }).IsUnique();
    }
}
