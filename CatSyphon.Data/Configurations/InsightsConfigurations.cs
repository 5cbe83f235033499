namespace CatSyphon.Data.Configurations;

internal sealed class SessionInsightConfiguration : IEntityTypeConfiguration<SessionInsight>
{
    public void Configure(EntityTypeBuilder<SessionInsight> builder)
    {
        builder.HasKey(i => i.ConversationId);
        builder.HasOne(i => i.Conversation).WithOne().HasForeignKey<SessionInsight>(i => i.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(i => i.Evidence).HasColumnType("jsonb");

        // The archive's outcome and intent filters and the team reports' counts, per workspace.
        builder.HasIndex(i => new { i.WorkspaceId, i.Outcome });
        builder.HasIndex(i => new { i.WorkspaceId, i.Intent });
    }
}

internal sealed class SessionLlmInsightConfiguration : IEntityTypeConfiguration<SessionLlmInsight>
{
    public void Configure(EntityTypeBuilder<SessionLlmInsight> builder)
    {
        builder.ToTable("session_llm_insights");
        builder.HasKey(i => i.ConversationId);
        builder.HasOne(i => i.Conversation).WithOne().HasForeignKey<SessionLlmInsight>(i => i.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(i => i.Model).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(i => i.Sentiment).HasMaxLength(ColumnLimits.EnumName);
        builder.Property(i => i.Summary).HasMaxLength(ColumnLimits.LlmSummary);
        builder.Property(i => i.LastError).HasMaxLength(ColumnLimits.LlmError);
    }
}

internal sealed class LlmUsageConfiguration : IEntityTypeConfiguration<LlmUsage>
{
    public void Configure(EntityTypeBuilder<LlmUsage> builder)
    {
        builder.ToTable("llm_usage");
        builder.HasKey(u => new { u.WorkspaceId, u.Month });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(u => u.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
