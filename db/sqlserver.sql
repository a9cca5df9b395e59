IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoles] (
        [Id] nvarchar(450) NOT NULL,
        [Name] nvarchar(256) NULL,
        [NormalizedName] nvarchar(256) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [Organizations] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_Organizations] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoleClaims] (
        [Id] int NOT NULL IDENTITY,
        [RoleId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetRoleClaims_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] nvarchar(450) NOT NULL,
        [DisplayName] nvarchar(100) NOT NULL,
        [OrganizationId] uniqueidentifier NULL,
        [CreatedAt] datetime2 NOT NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(max) NULL,
        [SecurityStamp] nvarchar(max) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        [PhoneNumber] nvarchar(max) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] datetimeoffset NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUsers_Organizations_OrganizationId] FOREIGN KEY ([OrganizationId]) REFERENCES [Organizations] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [Jobs] (
        [Id] uniqueidentifier NOT NULL,
        [OrganizationId] uniqueidentifier NOT NULL,
        [Title] nvarchar(200) NOT NULL,
        [Instructions] nvarchar(max) NOT NULL,
        [TaskType] nvarchar(32) NOT NULL,
        [Labels] nvarchar(max) NOT NULL,
        [PayPerLabelMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [Redundancy] int NOT NULL,
        [TargetConfidence] float NULL,
        [GoldRate] float NOT NULL,
        [MinimumTier] nvarchar(40) NULL,
        [Deadline] datetime2 NULL,
        [BudgetMinor] bigint NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [CreatedByUserId] nvarchar(450) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_Jobs] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Jobs_Organizations_OrganizationId] FOREIGN KEY ([OrganizationId]) REFERENCES [Organizations] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [ApiTokens] (
        [Id] uniqueidentifier NOT NULL,
        [UserId] nvarchar(450) NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Prefix] nvarchar(16) NOT NULL,
        [Hash] nchar(64) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [ExpiresAt] datetime2 NULL,
        [LastUsedAt] datetime2 NULL,
        [RevokedAt] datetime2 NULL,
        CONSTRAINT [PK_ApiTokens] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ApiTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(450) NOT NULL,
        [ProviderKey] nvarchar(450) NOT NULL,
        [ProviderDisplayName] nvarchar(max) NULL,
        [UserId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserRoles] (
        [UserId] nvarchar(450) NOT NULL,
        [RoleId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserRoles] PRIMARY KEY ([UserId], [RoleId]),
        CONSTRAINT [FK_AspNetUserRoles_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_AspNetUserRoles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] nvarchar(450) NOT NULL,
        [LoginProvider] nvarchar(450) NOT NULL,
        [Name] nvarchar(450) NOT NULL,
        [Value] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [ContributorProfiles] (
        [UserId] nvarchar(450) NOT NULL,
        [Pseudonym] nvarchar(40) NOT NULL,
        [Skills] nvarchar(500) NOT NULL,
        [Languages] nvarchar(200) NOT NULL,
        [Country] nchar(2) NULL,
        [Tier] nvarchar(40) NOT NULL,
        [SuspendedAt] datetime2 NULL,
        [CreatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_ContributorProfiles] PRIMARY KEY ([UserId]),
        CONSTRAINT [FK_ContributorProfiles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE TABLE [Items] (
        [Id] uniqueidentifier NOT NULL,
        [JobId] uniqueidentifier NOT NULL,
        [ExternalId] nvarchar(200) NOT NULL,
        [Payload] nvarchar(max) NOT NULL,
        [IsGold] bit NOT NULL,
        [GoldAnswer] nvarchar(max) NULL,
        [ConsensusAnswer] nvarchar(max) NULL,
        [Confidence] float NULL,
        [FinalizedAt] datetime2 NULL,
        [CreatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_Items] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Items_Jobs_JobId] FOREIGN KEY ([JobId]) REFERENCES [Jobs] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Id', N'ConcurrencyStamp', N'Name', N'NormalizedName') AND [object_id] = OBJECT_ID(N'[AspNetRoles]'))
        SET IDENTITY_INSERT [AspNetRoles] ON;
    EXEC(N'INSERT INTO [AspNetRoles] ([Id], [ConcurrencyStamp], [Name], [NormalizedName])
    VALUES (N''6a1f2c1e-0000-4000-8000-000000000001'', N''buyer-v1'', N''Buyer'', N''BUYER''),
    (N''6a1f2c1e-0000-4000-8000-000000000002'', N''contributor-v1'', N''Contributor'', N''CONTRIBUTOR''),
    (N''6a1f2c1e-0000-4000-8000-000000000003'', N''admin-v1'', N''Admin'', N''ADMIN'')');
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Id', N'ConcurrencyStamp', N'Name', N'NormalizedName') AND [object_id] = OBJECT_ID(N'[AspNetRoles]'))
        SET IDENTITY_INSERT [AspNetRoles] OFF;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ApiTokens_Hash] ON [ApiTokens] ([Hash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [IX_ApiTokens_UserId] ON [ApiTokens] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetRoleClaims_RoleId] ON [AspNetRoleClaims] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserRoles_RoleId] ON [AspNetUserRoles] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUsers_OrganizationId] ON [AspNetUsers] ([OrganizationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ContributorProfiles_Pseudonym] ON [ContributorProfiles] ([Pseudonym]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Items_JobId_ExternalId] ON [Items] ([JobId], [ExternalId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [IX_Items_JobId_IsGold_FinalizedAt] ON [Items] ([JobId], [IsGold], [FinalizedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [IX_Jobs_OrganizationId_Status] ON [Jobs] ([OrganizationId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE INDEX [IX_Jobs_Status] ON [Jobs] ([Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Organizations_Name] ON [Organizations] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123105856_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123105856_Initial', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123111749_JobSkillsAndLanguages'
)
BEGIN
    ALTER TABLE [Jobs] ADD [Languages] nvarchar(max) NOT NULL DEFAULT N'[]';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123111749_JobSkillsAndLanguages'
)
BEGIN
    ALTER TABLE [Jobs] ADD [RequiredSkills] nvarchar(max) NOT NULL DEFAULT N'[]';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123111749_JobSkillsAndLanguages'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123111749_JobSkillsAndLanguages', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    DROP INDEX [IX_Items_JobId_IsGold_FinalizedAt] ON [Items];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    ALTER TABLE [Items] ADD [GoldTolerance] float NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    ALTER TABLE [Items] ADD [LabelsHeld] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    ALTER TABLE [Items] ADD [LabelsSubmitted] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE TABLE [QualificationAttempts] (
        [Id] uniqueidentifier NOT NULL,
        [ContributorId] nvarchar(450) NOT NULL,
        [TaskType] nvarchar(32) NOT NULL,
        [Questions] int NOT NULL,
        [StartedAt] datetime2 NOT NULL,
        [Deadline] datetime2 NOT NULL,
        [CompletedAt] datetime2 NULL,
        [Correct] int NULL,
        [Passed] bit NULL,
        CONSTRAINT [PK_QualificationAttempts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_QualificationAttempts_AspNetUsers_ContributorId] FOREIGN KEY ([ContributorId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE TABLE [Qualifications] (
        [Id] uniqueidentifier NOT NULL,
        [ContributorId] nvarchar(450) NOT NULL,
        [TaskType] nvarchar(32) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [Attempts] int NOT NULL,
        [PassedAt] datetime2 NULL,
        [GoldCorrect] int NOT NULL,
        [GoldWrong] int NOT NULL,
        [UpdatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_Qualifications] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Qualifications_AspNetUsers_ContributorId] FOREIGN KEY ([ContributorId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE TABLE [Assignments] (
        [Id] uniqueidentifier NOT NULL,
        [JobId] uniqueidentifier NOT NULL,
        [ItemId] uniqueidentifier NOT NULL,
        [ContributorId] nvarchar(450) NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [QualificationAttemptId] uniqueidentifier NULL,
        [PayMinor] bigint NOT NULL,
        [LeasedAt] datetime2 NOT NULL,
        [LeaseExpiresAt] datetime2 NOT NULL,
        [EndedAt] datetime2 NULL,
        [Answer] nvarchar(max) NULL,
        [DurationMs] int NULL,
        [IsCorrect] bit NULL,
        CONSTRAINT [PK_Assignments] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Assignments_AspNetUsers_ContributorId] FOREIGN KEY ([ContributorId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Assignments_Items_ItemId] FOREIGN KEY ([ItemId]) REFERENCES [Items] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_Assignments_Jobs_JobId] FOREIGN KEY ([JobId]) REFERENCES [Jobs] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Assignments_QualificationAttempts_QualificationAttemptId] FOREIGN KEY ([QualificationAttemptId]) REFERENCES [QualificationAttempts] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE INDEX [IX_Items_JobId_IsGold_FinalizedAt_LabelsHeld] ON [Items] ([JobId], [IsGold], [FinalizedAt], [LabelsHeld]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE INDEX [IX_Assignments_ContributorId_LeasedAt] ON [Assignments] ([ContributorId], [LeasedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Assignments_ItemId_ContributorId] ON [Assignments] ([ItemId], [ContributorId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE INDEX [IX_Assignments_JobId_Status_EndedAt] ON [Assignments] ([JobId], [Status], [EndedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE INDEX [IX_Assignments_QualificationAttemptId] ON [Assignments] ([QualificationAttemptId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE INDEX [IX_Assignments_Status_LeaseExpiresAt] ON [Assignments] ([Status], [LeaseExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE INDEX [IX_QualificationAttempts_ContributorId_TaskType_StartedAt] ON [QualificationAttempts] ([ContributorId], [TaskType], [StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Qualifications_ContributorId_TaskType] ON [Qualifications] ([ContributorId], [TaskType]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123143433_WorkLoop'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123143433_WorkLoop', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126195921_JobAggregation'
)
BEGIN
    ALTER TABLE [Jobs] ADD [AggregatedAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126195921_JobAggregation'
)
BEGIN
    ALTER TABLE [Jobs] ADD [AggregationMethod] nvarchar(32) NOT NULL DEFAULT N'Auto';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126195921_JobAggregation'
)
BEGIN
    ALTER TABLE [Jobs] ADD [AggregationSummary] nvarchar(400) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126195921_JobAggregation'
)
BEGIN
    CREATE TABLE [JobContributorEstimates] (
        [Id] uniqueidentifier NOT NULL,
        [JobId] uniqueidentifier NOT NULL,
        [ContributorId] nvarchar(450) NOT NULL,
        [Method] nvarchar(40) NOT NULL,
        [Accuracy] float NOT NULL,
        [Confusion] nvarchar(max) NULL,
        [Labels] int NOT NULL,
        [UpdatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_JobContributorEstimates] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_JobContributorEstimates_AspNetUsers_ContributorId] FOREIGN KEY ([ContributorId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_JobContributorEstimates_Jobs_JobId] FOREIGN KEY ([JobId]) REFERENCES [Jobs] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126195921_JobAggregation'
)
BEGIN
    CREATE INDEX [IX_JobContributorEstimates_ContributorId] ON [JobContributorEstimates] ([ContributorId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126195921_JobAggregation'
)
BEGIN
    CREATE UNIQUE INDEX [IX_JobContributorEstimates_JobId_ContributorId] ON [JobContributorEstimates] ([JobId], [ContributorId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126195921_JobAggregation'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126195921_JobAggregation', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126204126_ClaimPathIndexes'
)
BEGIN
    DROP INDEX [IX_Items_JobId_IsGold_FinalizedAt_LabelsHeld] ON [Items];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126204126_ClaimPathIndexes'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Items_Gold] ON [Items] ([JobId]) WHERE [IsGold] = 1');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126204126_ClaimPathIndexes'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Items_OpenSlots] ON [Items] ([JobId], [LabelsHeld] DESC, [Id]) WHERE [IsGold] = 0 AND [FinalizedAt] IS NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126204126_ClaimPathIndexes'
)
BEGIN
    CREATE INDEX [IX_Assignments_ItemId_Status] ON [Assignments] ([ItemId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126204126_ClaimPathIndexes'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126204126_ClaimPathIndexes', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [EscrowFundings] (
        [PaymentIntentId] nvarchar(255) NOT NULL,
        [JobId] uniqueidentifier NOT NULL,
        [AmountMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [FundedAt] datetime2 NOT NULL,
        [DryRun] bit NOT NULL,
        CONSTRAINT [PK_EscrowFundings] PRIMARY KEY ([PaymentIntentId])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [LedgerAccounts] (
        [Kind] nvarchar(32) NOT NULL,
        [Owner] nvarchar(64) NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [Version] bigint NOT NULL,
        CONSTRAINT [PK_LedgerAccounts] PRIMARY KEY ([Kind], [Owner], [Currency])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [LedgerTransactions] (
        [Id] uniqueidentifier NOT NULL,
        [CauseKind] nvarchar(32) NOT NULL,
        [CauseId] nvarchar(255) NOT NULL,
        [PostedAt] datetime2 NOT NULL,
        [Memo] nvarchar(500) NOT NULL,
        [ReversesTransactionId] uniqueidentifier NULL,
        CONSTRAINT [PK_LedgerTransactions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_LedgerTransactions_LedgerTransactions_ReversesTransactionId] FOREIGN KEY ([ReversesTransactionId]) REFERENCES [LedgerTransactions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [PayoutAccounts] (
        [ContributorId] nvarchar(64) NOT NULL,
        [GatewayAccountId] nvarchar(255) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [PayoutsEnabled] bit NOT NULL,
        [DetailsSubmitted] bit NOT NULL,
        [OnHold] bit NOT NULL,
        [HoldReason] nvarchar(500) NULL,
        [StatusAsOf] datetime2 NULL,
        CONSTRAINT [PK_PayoutAccounts] PRIMARY KEY ([ContributorId])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [PayoutRuns] (
        [Id] uniqueidentifier NOT NULL,
        [RunKey] nvarchar(100) NOT NULL,
        [PlannedAt] datetime2 NOT NULL,
        [Paused] bit NOT NULL,
        CONSTRAINT [PK_PayoutRuns] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [StripeEvents] (
        [EventId] nvarchar(255) NOT NULL,
        [Type] nvarchar(100) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [ReceivedAt] datetime2 NOT NULL,
        [Payload] nvarchar(max) NOT NULL,
        [ProcessedAt] datetime2 NULL,
        [Outcome] nvarchar(500) NULL,
        CONSTRAINT [PK_StripeEvents] PRIMARY KEY ([EventId])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [EscrowRefunds] (
        [Id] uniqueidentifier NOT NULL,
        [JobId] uniqueidentifier NOT NULL,
        [PaymentIntentId] nvarchar(255) NOT NULL,
        [AmountMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [IdempotencyKey] nvarchar(100) NOT NULL,
        [State] nvarchar(32) NOT NULL,
        [GatewayRefundId] nvarchar(255) NULL,
        [DryRun] bit NOT NULL,
        [SettledAt] datetime2 NULL,
        [FailureReason] nvarchar(500) NULL,
        CONSTRAINT [PK_EscrowRefunds] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_EscrowRefunds_EscrowFundings_PaymentIntentId] FOREIGN KEY ([PaymentIntentId]) REFERENCES [EscrowFundings] ([PaymentIntentId]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [Earnings] (
        [AssignmentId] uniqueidentifier NOT NULL,
        [JobId] uniqueidentifier NOT NULL,
        [ContributorId] nvarchar(64) NOT NULL,
        [Tier] nvarchar(64) NULL,
        [PayMinor] bigint NOT NULL,
        [FeeMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [AccruedAt] datetime2 NOT NULL,
        [ReleaseAfter] datetime2 NOT NULL,
        [AccrualTransactionId] uniqueidentifier NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [SettledAt] datetime2 NULL,
        [ReversalReason] nvarchar(500) NULL,
        CONSTRAINT [PK_Earnings] PRIMARY KEY ([AssignmentId]),
        CONSTRAINT [FK_Earnings_LedgerTransactions_AccrualTransactionId] FOREIGN KEY ([AccrualTransactionId]) REFERENCES [LedgerTransactions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [LedgerEntries] (
        [Id] uniqueidentifier NOT NULL,
        [TransactionId] uniqueidentifier NOT NULL,
        [AccountKind] nvarchar(32) NOT NULL,
        [AccountOwner] nvarchar(64) NOT NULL,
        [Direction] nvarchar(8) NOT NULL,
        [AmountMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        CONSTRAINT [PK_LedgerEntries] PRIMARY KEY ([Id]),
        CONSTRAINT [CK_LedgerEntries_AmountPositive] CHECK ("AmountMinor" > 0),
        CONSTRAINT [FK_LedgerEntries_LedgerTransactions_TransactionId] FOREIGN KEY ([TransactionId]) REFERENCES [LedgerTransactions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE TABLE [Payouts] (
        [Id] uniqueidentifier NOT NULL,
        [RunId] uniqueidentifier NOT NULL,
        [ContributorId] nvarchar(64) NOT NULL,
        [DestinationAccountId] nvarchar(255) NOT NULL,
        [AmountMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [State] nvarchar(32) NOT NULL,
        [Attempt] int NOT NULL,
        [IdempotencyKey] nvarchar(100) NULL,
        [TransferId] nvarchar(255) NULL,
        [DryRun] bit NOT NULL,
        [FailureReason] nvarchar(500) NULL,
        [UpdatedAt] datetime2 NOT NULL,
        [Version] bigint NOT NULL,
        CONSTRAINT [PK_Payouts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Payouts_PayoutRuns_RunId] FOREIGN KEY ([RunId]) REFERENCES [PayoutRuns] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_Earnings_AccrualTransactionId] ON [Earnings] ([AccrualTransactionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_Earnings_ContributorId_Status] ON [Earnings] ([ContributorId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_Earnings_Status_ReleaseAfter] ON [Earnings] ([Status], [ReleaseAfter]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_EscrowFundings_JobId] ON [EscrowFundings] ([JobId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE UNIQUE INDEX [IX_EscrowRefunds_JobId_PaymentIntentId] ON [EscrowRefunds] ([JobId], [PaymentIntentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_EscrowRefunds_PaymentIntentId] ON [EscrowRefunds] ([PaymentIntentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_LedgerEntries_AccountKind_AccountOwner_Currency] ON [LedgerEntries] ([AccountKind], [AccountOwner], [Currency]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_LedgerEntries_TransactionId] ON [LedgerEntries] ([TransactionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE UNIQUE INDEX [IX_LedgerTransactions_CauseKind_CauseId] ON [LedgerTransactions] ([CauseKind], [CauseId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_LedgerTransactions_PostedAt] ON [LedgerTransactions] ([PostedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_LedgerTransactions_ReversesTransactionId] ON [LedgerTransactions] ([ReversesTransactionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PayoutAccounts_GatewayAccountId] ON [PayoutAccounts] ([GatewayAccountId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PayoutRuns_RunKey] ON [PayoutRuns] ([RunKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_Payouts_ContributorId_State] ON [Payouts] ([ContributorId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Payouts_RunId_ContributorId_Currency] ON [Payouts] ([RunId], [ContributorId], [Currency]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_Payouts_State] ON [Payouts] ([State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_Payouts_TransferId] ON [Payouts] ([TransferId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    CREATE INDEX [IX_StripeEvents_ProcessedAt] ON [StripeEvents] ([ProcessedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126205040_Payouts'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126205040_Payouts', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126223301_AuditLog'
)
BEGIN
    CREATE TABLE [AuditEntries] (
        [Id] bigint NOT NULL IDENTITY,
        [At] datetime2 NOT NULL,
        [ActorId] nvarchar(64) NOT NULL,
        [ActorName] nvarchar(256) NOT NULL,
        [Action] nvarchar(64) NOT NULL,
        [TargetKind] nvarchar(64) NOT NULL,
        [TargetId] nvarchar(128) NOT NULL,
        [Reason] nvarchar(2000) NULL,
        [Details] nvarchar(max) NULL,
        CONSTRAINT [PK_AuditEntries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126223301_AuditLog'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_Action_At] ON [AuditEntries] ([Action], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126223301_AuditLog'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_ActorId_At] ON [AuditEntries] ([ActorId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126223301_AuditLog'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_At] ON [AuditEntries] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126223301_AuditLog'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_TargetKind_TargetId] ON [AuditEntries] ([TargetKind], [TargetId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126223301_AuditLog'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126223301_AuditLog', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126224338_Tiers'
)
BEGIN
    CREATE TABLE [TierChanges] (
        [Id] bigint NOT NULL IDENTITY,
        [ContributorId] nvarchar(450) NOT NULL,
        [From] nvarchar(40) NOT NULL,
        [To] nvarchar(40) NOT NULL,
        [At] datetime2 NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [Reason] nvarchar(2000) NOT NULL,
        [TierSetVersion] int NOT NULL,
        [ActorId] nvarchar(64) NULL,
        CONSTRAINT [PK_TierChanges] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TierChanges_ContributorProfiles_ContributorId] FOREIGN KEY ([ContributorId]) REFERENCES [ContributorProfiles] ([UserId]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126224338_Tiers'
)
BEGIN
    CREATE TABLE [TierOverrides] (
        [ContributorId] nvarchar(450) NOT NULL,
        [Tier] nvarchar(40) NOT NULL,
        [Reason] nvarchar(2000) NOT NULL,
        [ExpiresAt] datetime2 NOT NULL,
        [SetAt] datetime2 NOT NULL,
        [SetById] nvarchar(64) NOT NULL,
        [SetByName] nvarchar(256) NOT NULL,
        CONSTRAINT [PK_TierOverrides] PRIMARY KEY ([ContributorId]),
        CONSTRAINT [FK_TierOverrides_ContributorProfiles_ContributorId] FOREIGN KEY ([ContributorId]) REFERENCES [ContributorProfiles] ([UserId]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126224338_Tiers'
)
BEGIN
    CREATE TABLE [TierSetVersions] (
        [Version] int NOT NULL,
        [SavedAt] datetime2 NOT NULL,
        [SavedById] nvarchar(64) NOT NULL,
        [SavedByName] nvarchar(256) NOT NULL,
        [Reason] nvarchar(2000) NOT NULL,
        [Tiers] nvarchar(max) NOT NULL,
        CONSTRAINT [PK_TierSetVersions] PRIMARY KEY ([Version])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126224338_Tiers'
)
BEGIN
    CREATE INDEX [IX_TierChanges_ContributorId_At] ON [TierChanges] ([ContributorId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126224338_Tiers'
)
BEGIN
    CREATE INDEX [IX_TierOverrides_ExpiresAt] ON [TierOverrides] ([ExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126224338_Tiers'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126224338_Tiers', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    CREATE TABLE [ContributorFingerprints] (
        [Id] bigint NOT NULL IDENTITY,
        [UserId] nvarchar(450) NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [Value] nvarchar(64) NOT NULL,
        [FirstSeenAt] datetime2 NOT NULL,
        [LastSeenAt] datetime2 NOT NULL,
        [Seen] int NOT NULL,
        CONSTRAINT [PK_ContributorFingerprints] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ContributorFingerprints_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    CREATE TABLE [FraudCases] (
        [Id] uniqueidentifier NOT NULL,
        [ContributorId] nvarchar(450) NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [OpenKey] nvarchar(490) NULL,
        [Score] float NOT NULL,
        [Summary] nvarchar(2000) NOT NULL,
        [Evidence] nvarchar(max) NOT NULL,
        [OpenedAt] datetime2 NOT NULL,
        [UpdatedAt] datetime2 NOT NULL,
        [ClosedAt] datetime2 NULL,
        [Version] int NOT NULL,
        [AppealText] nvarchar(2000) NULL,
        [AppealedAt] datetime2 NULL,
        CONSTRAINT [PK_FraudCases] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_FraudCases_AspNetUsers_ContributorId] FOREIGN KEY ([ContributorId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    CREATE TABLE [FraudCaseActions] (
        [Id] bigint NOT NULL IDENTITY,
        [CaseId] uniqueidentifier NOT NULL,
        [Action] nvarchar(16) NOT NULL,
        [ActorId] nvarchar(64) NOT NULL,
        [ActorName] nvarchar(256) NOT NULL,
        [At] datetime2 NOT NULL,
        [Reason] nvarchar(2000) NULL,
        [Details] nvarchar(max) NULL,
        CONSTRAINT [PK_FraudCaseActions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_FraudCaseActions_FraudCases_CaseId] FOREIGN KEY ([CaseId]) REFERENCES [FraudCases] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    CREATE INDEX [IX_ContributorFingerprints_Kind_Value] ON [ContributorFingerprints] ([Kind], [Value]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ContributorFingerprints_UserId_Kind_Value] ON [ContributorFingerprints] ([UserId], [Kind], [Value]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    CREATE INDEX [IX_FraudCaseActions_CaseId_Id] ON [FraudCaseActions] ([CaseId], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    CREATE INDEX [IX_FraudCases_ContributorId_Status] ON [FraudCases] ([ContributorId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_FraudCases_OpenKey] ON [FraudCases] ([OpenKey]) WHERE [OpenKey] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    CREATE INDEX [IX_FraudCases_Status_UpdatedAt] ON [FraudCases] ([Status], [UpdatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126230639_FraudCases'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126230639_FraudCases', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126233124_RunningBalances'
)
BEGIN
    ALTER TABLE [LedgerAccounts] ADD [BalanceMinor] bigint NOT NULL DEFAULT CAST(0 AS bigint);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126233124_RunningBalances'
)
BEGIN
    UPDATE [LedgerAccounts] SET [BalanceMinor] = COALESCE((SELECT SUM(CASE WHEN e.[Direction] = 'Credit' THEN e.[AmountMinor] ELSE -e.[AmountMinor] END) FROM [LedgerEntries] e WHERE e.[AccountKind] = [LedgerAccounts].[Kind] AND e.[AccountOwner] = [LedgerAccounts].[Owner] AND e.[Currency] = [LedgerAccounts].[Currency]), 0);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126233124_RunningBalances'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126233124_RunningBalances', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206093806_IdentityHardening'
)
BEGIN
    ALTER TABLE [AspNetUsers] ADD [BannedAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206093806_IdentityHardening'
)
BEGIN
    ALTER TABLE [ApiTokens] ADD [Scopes] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206093806_IdentityHardening'
)
BEGIN
    UPDATE [ApiTokens] SET [Scopes] = 3;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206093806_IdentityHardening'
)
BEGIN
    UPDATE [AspNetUsers] SET [BannedAt] = SYSUTCDATETIME() WHERE [LockoutEnd] >= '9999-01-01T00:00:00+00:00';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206093806_IdentityHardening'
)
BEGIN
    UPDATE [AspNetUsers] SET [EmailConfirmed] = 1 WHERE [EmailConfirmed] = 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206093806_IdentityHardening'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261206093806_IdentityHardening', N'10.0.14');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    ALTER TABLE [Payouts] ADD [LastSentAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    ALTER TABLE [Payouts] ADD [SubmittedAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    ALTER TABLE [PayoutRuns] ADD [Planning] bit NOT NULL DEFAULT CAST(0 AS bit);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    CREATE TABLE [EscrowPaymentRequests] (
        [Id] uniqueidentifier NOT NULL,
        [JobId] uniqueidentifier NOT NULL,
        [AmountMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [PaymentIntentId] nvarchar(255) NULL,
        [State] nvarchar(32) NOT NULL,
        [RefusalReason] nvarchar(500) NULL,
        [SettledAt] datetime2 NULL,
        CONSTRAINT [PK_EscrowPaymentRequests] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    CREATE TABLE [PayoutClawbacks] (
        [Id] uniqueidentifier NOT NULL,
        [PayoutId] uniqueidentifier NOT NULL,
        [AmountMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [Reason] nvarchar(500) NOT NULL,
        [CreditJobId] uniqueidentifier NULL,
        [CreatedAt] datetime2 NOT NULL,
        [State] nvarchar(32) NOT NULL,
        [ReversalId] nvarchar(255) NULL,
        [FailureReason] nvarchar(500) NULL,
        [AttemptStartedAt] datetime2 NULL,
        [SettledAt] datetime2 NULL,
        [Version] bigint NOT NULL,
        CONSTRAINT [PK_PayoutClawbacks] PRIMARY KEY ([Id]),
        CONSTRAINT [CK_PayoutClawbacks_AmountPositive] CHECK ("AmountMinor" > 0),
        CONSTRAINT [FK_PayoutClawbacks_Payouts_PayoutId] FOREIGN KEY ([PayoutId]) REFERENCES [Payouts] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    CREATE INDEX [IX_PayoutRuns_Planning] ON [PayoutRuns] ([Planning]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    CREATE INDEX [IX_EscrowPaymentRequests_JobId] ON [EscrowPaymentRequests] ([JobId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    CREATE INDEX [IX_EscrowPaymentRequests_PaymentIntentId] ON [EscrowPaymentRequests] ([PaymentIntentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    CREATE INDEX [IX_PayoutClawbacks_PayoutId_State] ON [PayoutClawbacks] ([PayoutId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206112742_PayoutHardening'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261206112742_PayoutHardening', N'10.0.14');
END;

COMMIT;
GO

