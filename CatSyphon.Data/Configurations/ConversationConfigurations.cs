using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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
        builder.HasIndex(c => new { c.WorkspaceId, c.StartedAt });
        builder.HasIndex(c => new { c.WorkspaceId, c.LastEventAt });
        builder.HasIndex(c => new { c.WorkspaceId, c.ProjectId });
        builder.HasIndex(c => new { c.WorkspaceId, c.DeveloperId });
        builder.HasIndex(c => new { c.WorkspaceId, c.Status });
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
        // Token analytics by model and time; streaming usage is split over lines sharing an api message id.
        builder.HasIndex(m => new { m.Model, m.EmittedAt }).HasFilter("model IS NOT NULL");
        builder.HasIndex(m => new { m.ConversationId, m.ApiMessageId }).HasFilter("api_message_id IS NOT NULL");

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
