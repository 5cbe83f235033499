using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CatSyphon.Data.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.SessionId).HasMaxLength(ColumnLimits.SessionId);
        builder.Property(c => c.ParentSessionId).HasMaxLength(ColumnLimits.SessionId);
        builder.Property(c => c.Metadata).HasColumnType("jsonb");

        // A session id names one conversation per workspace.
        builder.HasIndex(c => new { c.WorkspaceId, c.SessionId }).IsUnique();

        // The conversation list pages with a keyset in last-activity order:
        //   ORDER BY last_event_at DESC NULLS LAST, id DESC, the next page WHERE (last_event_at, id) < (cursor).
        // Each of the next three indexes returns such a page already in that order, so a page reads its own
        // rows and no more. Filters on columns with few values (agent type, status, top-level or sub-agent)
        // have no index of their own: a large share of any page passes them, so checking them on the rows
        // read in order is cheaper than a separate index would be to keep on every conversation update.
        builder.HasIndex(c => new { c.WorkspaceId, c.LastEventAt, c.Id })
            .IsDescending(false, true, true)
            .HasNullSortOrder(NullSortOrder.Unspecified, NullSortOrder.NullsLast, NullSortOrder.Unspecified);
        // One project's or one developer's conversations, which may be a small share of the workspace. A
        // project or developer belongs to one workspace, so its id leads; this also serves the foreign keys.
        builder.HasIndex(c => new { c.ProjectId, c.LastEventAt, c.Id })
            .IsDescending(false, true, true)
            .HasNullSortOrder(NullSortOrder.Unspecified, NullSortOrder.NullsLast, NullSortOrder.Unspecified);
        builder.HasIndex(c => new { c.DeveloperId, c.LastEventAt, c.Id })
            .IsDescending(false, true, true)
            .HasNullSortOrder(NullSortOrder.Unspecified, NullSortOrder.NullsLast, NullSortOrder.Unspecified);
        // The started_at range filter of the list, and session analytics over a date range.
        builder.HasIndex(c => new { c.WorkspaceId, c.StartedAt });
        // A conversation's sub-agents (its detail, the parent filter), and the parent foreign key's SET NULL.
        builder.HasIndex(c => c.ParentConversationId).HasFilter("parent_conversation_id IS NOT NULL");
        // Children that arrived before their parent, to link when the parent shows up.
        builder.HasIndex(c => new { c.WorkspaceId, c.ParentSessionId }).HasFilter("parent_session_id IS NOT NULL");

        builder.HasOne(c => c.Workspace)
            .WithMany()
            .HasForeignKey(c => c.WorkspaceId)
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.Collector)
            .WithMany()
            .HasForeignKey(c => c.CollectorId)
            .OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(c => c.Project)
            .WithMany()
            .HasForeignKey(c => c.ProjectId)
            .OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(c => c.Developer)
            .WithMany()
            .HasForeignKey(c => c.DeveloperId)
            .OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(c => c.ParentConversation)
            .WithMany(c => c.Children)
            .HasForeignKey(c => c.ParentConversationId)
            .OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class MessageSearchConfiguration : IEntityTypeConfiguration<MessageSearch>
{
    public void Configure(EntityTypeBuilder<MessageSearch> builder)
    {
        builder.ToTable("message_search");
        builder.HasKey(s => s.MessageId);
        builder.Property(s => s.MessageId).ValueGeneratedNever();
        builder.HasOne(s => s.Message).WithOne().HasForeignKey<MessageSearch>(s => s.MessageId).OnDelete(DeleteBehavior.Cascade);

        // Ranked full-text search: @@ on this GIN index (or a parallel scan of these narrow rows for terms in most
        // messages), ts_rank, then ts_headline over the message's text.
        builder.HasIndex(s => s.SearchVector).HasMethod("gin");
        // The snippet of one conversation: its own matching messages.
        builder.HasIndex(s => s.ConversationId);
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

        builder.HasOne(m => m.Conversation)
            .WithMany(c => c.Messages)
            .HasForeignKey(m => m.ConversationId)
            .OnDelete(DeleteBehavior.Cascade);
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

        builder.HasOne(t => t.Conversation)
            .WithMany(c => c.ToolCalls)
            .HasForeignKey(t => t.ConversationId)
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Message)
            .WithMany()
            .HasForeignKey(t => t.MessageId)
            .OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class FileTouchedConfiguration : IEntityTypeConfiguration<FileTouched>
{
    public void Configure(EntityTypeBuilder<FileTouched> builder)
    {
        builder.Property(f => f.Id).UseIdentityByDefaultColumn();

        builder.HasIndex(f => f.ConversationId);
        builder.HasIndex(f => f.Path);

        builder.HasOne(f => f.Conversation)
            .WithMany(c => c.FilesTouched)
            .HasForeignKey(f => f.ConversationId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Identifier).HasMaxLength(ColumnLimits.PlanIdentifier);

        builder.HasIndex(p => new { p.ConversationId, p.Identifier }).IsUnique();

        builder.HasOne(p => p.Conversation)
            .WithMany(c => c.Plans)
            .HasForeignKey(p => p.ConversationId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanVersionConfiguration : IEntityTypeConfiguration<PlanVersion>
{
    public void Configure(EntityTypeBuilder<PlanVersion> builder)
    {
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.HasIndex(v => new { v.PlanId, v.Version }).IsUnique();

        builder.HasOne(v => v.Plan)
            .WithMany(p => p.Versions)
            .HasForeignKey(v => v.PlanId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
