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
