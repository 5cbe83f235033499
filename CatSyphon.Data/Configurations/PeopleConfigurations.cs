namespace CatSyphon.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.Property(u => u.Email).HasMaxLength(ColumnLimits.Email);
        builder.Property(u => u.NormalizedEmail).HasMaxLength(ColumnLimits.Email);
        builder.Property(u => u.DisplayName).HasMaxLength(ColumnLimits.Name);
        builder.Property(u => u.ExternalIssuer).HasMaxLength(ColumnLimits.Identifier);
        builder.Property(u => u.ExternalSubject).HasMaxLength(ColumnLimits.Identifier);
        builder.HasIndex(u => u.NormalizedEmail).IsUnique();
        builder.HasIndex(u => new { u.ExternalIssuer, u.ExternalSubject }).IsUnique().HasFilter("external_subject IS NOT NULL");

        // People are deleted one by one, never with their organization.
        builder.HasOne(u => u.Organization).WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WorkspaceMemberConfiguration : IEntityTypeConfiguration<WorkspaceMember>
{
    public void Configure(EntityTypeBuilder<WorkspaceMember> builder)
    {
        builder.HasKey(m => new { m.WorkspaceId, m.UserId });
        builder.HasIndex(m => m.UserId);
        builder.HasOne(m => m.Workspace).WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PersonalAccessTokenConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(ColumnLimits.Name);
        builder.Property(t => t.Prefix).HasMaxLength(ColumnLimits.KeyPrefix);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.UserId);
        builder.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.Property(s => s.Address).HasMaxLength(ColumnLimits.Address);
        builder.HasIndex(s => s.TokenHash).IsUnique();
        builder.HasIndex(s => s.UserId);
        builder.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
