CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);

CREATE TABLE "Organizations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Organizations" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "OrganizationId" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL,
    CONSTRAINT "FK_AspNetUsers_Organizations_OrganizationId" FOREIGN KEY ("OrganizationId") REFERENCES "Organizations" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Jobs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Jobs" PRIMARY KEY,
    "OrganizationId" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Instructions" TEXT NOT NULL,
    "TaskType" TEXT NOT NULL,
    "Labels" TEXT NOT NULL,
    "PayPerLabelMinor" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "Redundancy" INTEGER NOT NULL,
    "TargetConfidence" REAL NULL,
    "GoldRate" REAL NOT NULL,
    "MinimumTier" TEXT NULL,
    "Deadline" TEXT NULL,
    "BudgetMinor" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "CreatedByUserId" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Jobs_Organizations_OrganizationId" FOREIGN KEY ("OrganizationId") REFERENCES "Organizations" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ApiTokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ApiTokens" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Prefix" TEXT NOT NULL,
    "Hash" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NULL,
    "LastUsedAt" TEXT NULL,
    "RevokedAt" TEXT NULL,
    CONSTRAINT "FK_ApiTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ContributorProfiles" (
    "UserId" TEXT NOT NULL CONSTRAINT "PK_ContributorProfiles" PRIMARY KEY,
    "Pseudonym" TEXT NOT NULL,
    "Skills" TEXT NOT NULL,
    "Languages" TEXT NOT NULL,
    "Country" TEXT NULL,
    "Tier" TEXT NOT NULL,
    "SuspendedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_ContributorProfiles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Items" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Items" PRIMARY KEY,
    "JobId" TEXT NOT NULL,
    "ExternalId" TEXT NOT NULL,
    "Payload" TEXT NOT NULL,
    "IsGold" INTEGER NOT NULL,
    "GoldAnswer" TEXT NULL,
    "ConsensusAnswer" TEXT NULL,
    "Confidence" REAL NULL,
    "FinalizedAt" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Items_Jobs_JobId" FOREIGN KEY ("JobId") REFERENCES "Jobs" ("Id") ON DELETE CASCADE
);

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('6a1f2c1e-0000-4000-8000-000000000001', 'buyer-v1', 'Buyer', 'BUYER');
SELECT changes();

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('6a1f2c1e-0000-4000-8000-000000000002', 'contributor-v1', 'Contributor', 'CONTRIBUTOR');
SELECT changes();

INSERT INTO "AspNetRoles" ("Id", "ConcurrencyStamp", "Name", "NormalizedName")
VALUES ('6a1f2c1e-0000-4000-8000-000000000003', 'admin-v1', 'Admin', 'ADMIN');
SELECT changes();


CREATE UNIQUE INDEX "IX_ApiTokens_Hash" ON "ApiTokens" ("Hash");

CREATE INDEX "IX_ApiTokens_UserId" ON "ApiTokens" ("UserId");

CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE INDEX "IX_AspNetUsers_OrganizationId" ON "AspNetUsers" ("OrganizationId");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE UNIQUE INDEX "IX_ContributorProfiles_Pseudonym" ON "ContributorProfiles" ("Pseudonym");

CREATE UNIQUE INDEX "IX_Items_JobId_ExternalId" ON "Items" ("JobId", "ExternalId");

CREATE INDEX "IX_Items_JobId_IsGold_FinalizedAt" ON "Items" ("JobId", "IsGold", "FinalizedAt");

CREATE INDEX "IX_Jobs_OrganizationId_Status" ON "Jobs" ("OrganizationId", "Status");

CREATE INDEX "IX_Jobs_Status" ON "Jobs" ("Status");

CREATE UNIQUE INDEX "IX_Organizations_Name" ON "Organizations" ("Name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123105835_Initial', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Jobs" ADD "Languages" TEXT NOT NULL DEFAULT '[]';

ALTER TABLE "Jobs" ADD "RequiredSkills" TEXT NOT NULL DEFAULT '[]';

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123111725_JobSkillsAndLanguages', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
DROP INDEX "IX_Items_JobId_IsGold_FinalizedAt";

ALTER TABLE "Items" ADD "GoldTolerance" REAL NULL;

ALTER TABLE "Items" ADD "LabelsHeld" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "Items" ADD "LabelsSubmitted" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "QualificationAttempts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_QualificationAttempts" PRIMARY KEY,
    "ContributorId" TEXT NOT NULL,
    "TaskType" TEXT NOT NULL,
    "Questions" INTEGER NOT NULL,
    "StartedAt" TEXT NOT NULL,
    "Deadline" TEXT NOT NULL,
    "CompletedAt" TEXT NULL,
    "Correct" INTEGER NULL,
    "Passed" INTEGER NULL,
    CONSTRAINT "FK_QualificationAttempts_AspNetUsers_ContributorId" FOREIGN KEY ("ContributorId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Qualifications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Qualifications" PRIMARY KEY,
    "ContributorId" TEXT NOT NULL,
    "TaskType" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "PassedAt" TEXT NULL,
    "GoldCorrect" INTEGER NOT NULL,
    "GoldWrong" INTEGER NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_Qualifications_AspNetUsers_ContributorId" FOREIGN KEY ("ContributorId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Assignments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Assignments" PRIMARY KEY,
    "JobId" TEXT NOT NULL,
    "ItemId" TEXT NOT NULL,
    "ContributorId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "QualificationAttemptId" TEXT NULL,
    "PayMinor" INTEGER NOT NULL,
    "LeasedAt" TEXT NOT NULL,
    "LeaseExpiresAt" TEXT NOT NULL,
    "EndedAt" TEXT NULL,
    "Answer" TEXT NULL,
    "DurationMs" INTEGER NULL,
    "IsCorrect" INTEGER NULL,
    CONSTRAINT "FK_Assignments_AspNetUsers_ContributorId" FOREIGN KEY ("ContributorId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Assignments_Items_ItemId" FOREIGN KEY ("ItemId") REFERENCES "Items" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Assignments_Jobs_JobId" FOREIGN KEY ("JobId") REFERENCES "Jobs" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Assignments_QualificationAttempts_QualificationAttemptId" FOREIGN KEY ("QualificationAttemptId") REFERENCES "QualificationAttempts" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_Items_JobId_IsGold_FinalizedAt_LabelsHeld" ON "Items" ("JobId", "IsGold", "FinalizedAt", "LabelsHeld");

CREATE INDEX "IX_Assignments_ContributorId_LeasedAt" ON "Assignments" ("ContributorId", "LeasedAt");

CREATE UNIQUE INDEX "IX_Assignments_ItemId_ContributorId" ON "Assignments" ("ItemId", "ContributorId");

CREATE INDEX "IX_Assignments_JobId_Status_EndedAt" ON "Assignments" ("JobId", "Status", "EndedAt");

CREATE INDEX "IX_Assignments_QualificationAttemptId" ON "Assignments" ("QualificationAttemptId");

CREATE INDEX "IX_Assignments_Status_LeaseExpiresAt" ON "Assignments" ("Status", "LeaseExpiresAt");

CREATE INDEX "IX_QualificationAttempts_ContributorId_TaskType_StartedAt" ON "QualificationAttempts" ("ContributorId", "TaskType", "StartedAt");

CREATE UNIQUE INDEX "IX_Qualifications_ContributorId_TaskType" ON "Qualifications" ("ContributorId", "TaskType");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123143409_WorkLoop', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Jobs" ADD "AggregatedAt" TEXT NULL;

ALTER TABLE "Jobs" ADD "AggregationMethod" TEXT NOT NULL DEFAULT 'Auto';

ALTER TABLE "Jobs" ADD "AggregationSummary" TEXT NULL;

CREATE TABLE "JobContributorEstimates" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_JobContributorEstimates" PRIMARY KEY,
    "JobId" TEXT NOT NULL,
    "ContributorId" TEXT NOT NULL,
    "Method" TEXT NOT NULL,
    "Accuracy" REAL NOT NULL,
    "Confusion" TEXT NULL,
    "Labels" INTEGER NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_JobContributorEstimates_AspNetUsers_ContributorId" FOREIGN KEY ("ContributorId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_JobContributorEstimates_Jobs_JobId" FOREIGN KEY ("JobId") REFERENCES "Jobs" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_JobContributorEstimates_ContributorId" ON "JobContributorEstimates" ("ContributorId");

CREATE UNIQUE INDEX "IX_JobContributorEstimates_JobId_ContributorId" ON "JobContributorEstimates" ("JobId", "ContributorId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126195853_JobAggregation', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
DROP INDEX "IX_Items_JobId_IsGold_FinalizedAt_LabelsHeld";

CREATE INDEX "IX_Items_Gold" ON "Items" ("JobId") WHERE "IsGold";

CREATE INDEX "IX_Items_OpenSlots" ON "Items" ("JobId", "LabelsHeld" DESC, "Id") WHERE NOT "IsGold" AND "FinalizedAt" IS NULL;

CREATE INDEX "IX_Assignments_ItemId_Status" ON "Assignments" ("ItemId", "Status");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126204107_ClaimPathIndexes', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "EscrowFundings" (
    "PaymentIntentId" TEXT NOT NULL CONSTRAINT "PK_EscrowFundings" PRIMARY KEY,
    "JobId" TEXT NOT NULL,
    "AmountMinor" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "FundedAt" TEXT NOT NULL,
    "DryRun" INTEGER NOT NULL
);

CREATE TABLE "LedgerAccounts" (
    "Kind" TEXT NOT NULL,
    "Owner" TEXT NOT NULL,
    "Currency" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "PK_LedgerAccounts" PRIMARY KEY ("Kind", "Owner", "Currency")
);

CREATE TABLE "LedgerTransactions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_LedgerTransactions" PRIMARY KEY,
    "CauseKind" TEXT NOT NULL,
    "CauseId" TEXT NOT NULL,
    "PostedAt" TEXT NOT NULL,
    "Memo" TEXT NOT NULL,
    "ReversesTransactionId" TEXT NULL,
    CONSTRAINT "FK_LedgerTransactions_LedgerTransactions_ReversesTransactionId" FOREIGN KEY ("ReversesTransactionId") REFERENCES "LedgerTransactions" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PayoutAccounts" (
    "ContributorId" TEXT NOT NULL CONSTRAINT "PK_PayoutAccounts" PRIMARY KEY,
    "GatewayAccountId" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "PayoutsEnabled" INTEGER NOT NULL,
    "DetailsSubmitted" INTEGER NOT NULL,
    "OnHold" INTEGER NOT NULL,
    "HoldReason" TEXT NULL,
    "StatusAsOf" TEXT NULL
);

CREATE TABLE "PayoutRuns" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PayoutRuns" PRIMARY KEY,
    "RunKey" TEXT NOT NULL,
    "PlannedAt" TEXT NOT NULL,
    "Paused" INTEGER NOT NULL
);

CREATE TABLE "StripeEvents" (
    "EventId" TEXT NOT NULL CONSTRAINT "PK_StripeEvents" PRIMARY KEY,
    "Type" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ReceivedAt" TEXT NOT NULL,
    "Payload" TEXT NOT NULL,
    "ProcessedAt" TEXT NULL,
    "Outcome" TEXT NULL
);

CREATE TABLE "EscrowRefunds" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_EscrowRefunds" PRIMARY KEY,
    "JobId" TEXT NOT NULL,
    "PaymentIntentId" TEXT NOT NULL,
    "AmountMinor" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "IdempotencyKey" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "GatewayRefundId" TEXT NULL,
    "DryRun" INTEGER NOT NULL,
    "SettledAt" TEXT NULL,
    "FailureReason" TEXT NULL,
    CONSTRAINT "FK_EscrowRefunds_EscrowFundings_PaymentIntentId" FOREIGN KEY ("PaymentIntentId") REFERENCES "EscrowFundings" ("PaymentIntentId") ON DELETE RESTRICT
);

CREATE TABLE "Earnings" (
    "AssignmentId" TEXT NOT NULL CONSTRAINT "PK_Earnings" PRIMARY KEY,
    "JobId" TEXT NOT NULL,
    "ContributorId" TEXT NOT NULL,
    "Tier" TEXT NULL,
    "PayMinor" INTEGER NOT NULL,
    "FeeMinor" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "AccruedAt" TEXT NOT NULL,
    "ReleaseAfter" TEXT NOT NULL,
    "AccrualTransactionId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "SettledAt" TEXT NULL,
    "ReversalReason" TEXT NULL,
    CONSTRAINT "FK_Earnings_LedgerTransactions_AccrualTransactionId" FOREIGN KEY ("AccrualTransactionId") REFERENCES "LedgerTransactions" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "LedgerEntries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_LedgerEntries" PRIMARY KEY,
    "TransactionId" TEXT NOT NULL,
    "AccountKind" TEXT NOT NULL,
    "AccountOwner" TEXT NOT NULL,
    "Direction" TEXT NOT NULL,
    "AmountMinor" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    CONSTRAINT "CK_LedgerEntries_AmountPositive" CHECK ("AmountMinor" > 0),
    CONSTRAINT "FK_LedgerEntries_LedgerTransactions_TransactionId" FOREIGN KEY ("TransactionId") REFERENCES "LedgerTransactions" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Payouts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Payouts" PRIMARY KEY,
    "RunId" TEXT NOT NULL,
    "ContributorId" TEXT NOT NULL,
    "DestinationAccountId" TEXT NOT NULL,
    "AmountMinor" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Attempt" INTEGER NOT NULL,
    "IdempotencyKey" TEXT NULL,
    "TransferId" TEXT NULL,
    "DryRun" INTEGER NOT NULL,
    "FailureReason" TEXT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "FK_Payouts_PayoutRuns_RunId" FOREIGN KEY ("RunId") REFERENCES "PayoutRuns" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_Earnings_AccrualTransactionId" ON "Earnings" ("AccrualTransactionId");

CREATE INDEX "IX_Earnings_ContributorId_Status" ON "Earnings" ("ContributorId", "Status");

CREATE INDEX "IX_Earnings_Status_ReleaseAfter" ON "Earnings" ("Status", "ReleaseAfter");

CREATE INDEX "IX_EscrowFundings_JobId" ON "EscrowFundings" ("JobId");

CREATE UNIQUE INDEX "IX_EscrowRefunds_JobId_PaymentIntentId" ON "EscrowRefunds" ("JobId", "PaymentIntentId");

CREATE INDEX "IX_EscrowRefunds_PaymentIntentId" ON "EscrowRefunds" ("PaymentIntentId");

CREATE INDEX "IX_LedgerEntries_AccountKind_AccountOwner_Currency" ON "LedgerEntries" ("AccountKind", "AccountOwner", "Currency");

CREATE INDEX "IX_LedgerEntries_TransactionId" ON "LedgerEntries" ("TransactionId");

CREATE UNIQUE INDEX "IX_LedgerTransactions_CauseKind_CauseId" ON "LedgerTransactions" ("CauseKind", "CauseId");

CREATE INDEX "IX_LedgerTransactions_PostedAt" ON "LedgerTransactions" ("PostedAt");

CREATE INDEX "IX_LedgerTransactions_ReversesTransactionId" ON "LedgerTransactions" ("ReversesTransactionId");

CREATE UNIQUE INDEX "IX_PayoutAccounts_GatewayAccountId" ON "PayoutAccounts" ("GatewayAccountId");

CREATE UNIQUE INDEX "IX_PayoutRuns_RunKey" ON "PayoutRuns" ("RunKey");

CREATE INDEX "IX_Payouts_ContributorId_State" ON "Payouts" ("ContributorId", "State");

CREATE UNIQUE INDEX "IX_Payouts_RunId_ContributorId_Currency" ON "Payouts" ("RunId", "ContributorId", "Currency");

CREATE INDEX "IX_Payouts_State" ON "Payouts" ("State");

CREATE INDEX "IX_Payouts_TransferId" ON "Payouts" ("TransferId");

CREATE INDEX "IX_StripeEvents_ProcessedAt" ON "StripeEvents" ("ProcessedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126205017_Payouts', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "AuditEntries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditEntries" PRIMARY KEY AUTOINCREMENT,
    "At" TEXT NOT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "TargetKind" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "Details" TEXT NULL
);

CREATE INDEX "IX_AuditEntries_Action_At" ON "AuditEntries" ("Action", "At");

CREATE INDEX "IX_AuditEntries_ActorId_At" ON "AuditEntries" ("ActorId", "At");

CREATE INDEX "IX_AuditEntries_At" ON "AuditEntries" ("At");

CREATE INDEX "IX_AuditEntries_TargetKind_TargetId" ON "AuditEntries" ("TargetKind", "TargetId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126223235_AuditLog', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "TierChanges" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TierChanges" PRIMARY KEY AUTOINCREMENT,
    "ContributorId" TEXT NOT NULL,
    "From" TEXT NOT NULL,
    "To" TEXT NOT NULL,
    "At" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "TierSetVersion" INTEGER NOT NULL,
    "ActorId" TEXT NULL,
    CONSTRAINT "FK_TierChanges_ContributorProfiles_ContributorId" FOREIGN KEY ("ContributorId") REFERENCES "ContributorProfiles" ("UserId") ON DELETE CASCADE
);

CREATE TABLE "TierOverrides" (
    "ContributorId" TEXT NOT NULL CONSTRAINT "PK_TierOverrides" PRIMARY KEY,
    "Tier" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    "SetAt" TEXT NOT NULL,
    "SetById" TEXT NOT NULL,
    "SetByName" TEXT NOT NULL,
    CONSTRAINT "FK_TierOverrides_ContributorProfiles_ContributorId" FOREIGN KEY ("ContributorId") REFERENCES "ContributorProfiles" ("UserId") ON DELETE CASCADE
);

CREATE TABLE "TierSetVersions" (
    "Version" INTEGER NOT NULL CONSTRAINT "PK_TierSetVersions" PRIMARY KEY,
    "SavedAt" TEXT NOT NULL,
    "SavedById" TEXT NOT NULL,
    "SavedByName" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "Tiers" TEXT NOT NULL
);

CREATE INDEX "IX_TierChanges_ContributorId_At" ON "TierChanges" ("ContributorId", "At");

CREATE INDEX "IX_TierOverrides_ExpiresAt" ON "TierOverrides" ("ExpiresAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126224213_Tiers', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "ContributorFingerprints" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ContributorFingerprints" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Value" TEXT NOT NULL,
    "FirstSeenAt" TEXT NOT NULL,
    "LastSeenAt" TEXT NOT NULL,
    "Seen" INTEGER NOT NULL,
    CONSTRAINT "FK_ContributorFingerprints_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "FraudCases" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_FraudCases" PRIMARY KEY,
    "ContributorId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "OpenKey" TEXT NULL,
    "Score" REAL NOT NULL,
    "Summary" TEXT NOT NULL,
    "Evidence" TEXT NOT NULL,
    "OpenedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "ClosedAt" TEXT NULL,
    "Version" INTEGER NOT NULL,
    "AppealText" TEXT NULL,
    "AppealedAt" TEXT NULL,
    CONSTRAINT "FK_FraudCases_AspNetUsers_ContributorId" FOREIGN KEY ("ContributorId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "FraudCaseActions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_FraudCaseActions" PRIMARY KEY AUTOINCREMENT,
    "CaseId" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "At" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "Details" TEXT NULL,
    CONSTRAINT "FK_FraudCaseActions_FraudCases_CaseId" FOREIGN KEY ("CaseId") REFERENCES "FraudCases" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_ContributorFingerprints_Kind_Value" ON "ContributorFingerprints" ("Kind", "Value");

CREATE UNIQUE INDEX "IX_ContributorFingerprints_UserId_Kind_Value" ON "ContributorFingerprints" ("UserId", "Kind", "Value");

CREATE INDEX "IX_FraudCaseActions_CaseId_Id" ON "FraudCaseActions" ("CaseId", "Id");

CREATE INDEX "IX_FraudCases_ContributorId_Status" ON "FraudCases" ("ContributorId", "Status");

CREATE UNIQUE INDEX "IX_FraudCases_OpenKey" ON "FraudCases" ("OpenKey");

CREATE INDEX "IX_FraudCases_Status_UpdatedAt" ON "FraudCases" ("Status", "UpdatedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126230608_FraudCases', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "LedgerAccounts" ADD "BalanceMinor" INTEGER NOT NULL DEFAULT 0;

UPDATE "LedgerAccounts" SET "BalanceMinor" = COALESCE((SELECT SUM(CASE WHEN e."Direction" = 'Credit' THEN e."AmountMinor" ELSE -e."AmountMinor" END) FROM "LedgerEntries" e WHERE e."AccountKind" = "LedgerAccounts"."Kind" AND e."AccountOwner" = "LedgerAccounts"."Owner" AND e."Currency" = "LedgerAccounts"."Currency"), 0);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126233055_RunningBalances', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "AspNetUsers" ADD "BannedAt" TEXT NULL;

ALTER TABLE "ApiTokens" ADD "Scopes" INTEGER NOT NULL DEFAULT 0;

UPDATE "ApiTokens" SET "Scopes" = 3;

UPDATE "AspNetUsers" SET "BannedAt" = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE "LockoutEnd" >= '9999-01-01';

UPDATE "AspNetUsers" SET "EmailConfirmed" = 1 WHERE "EmailConfirmed" = 0;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206093506_IdentityHardening', '10.0.14');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Payouts" ADD "LastSentAt" TEXT NULL;

ALTER TABLE "Payouts" ADD "SubmittedAt" TEXT NULL;

ALTER TABLE "PayoutRuns" ADD "Planning" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "EscrowPaymentRequests" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_EscrowPaymentRequests" PRIMARY KEY,
    "JobId" TEXT NOT NULL,
    "AmountMinor" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "PaymentIntentId" TEXT NULL,
    "State" TEXT NOT NULL,
    "RefusalReason" TEXT NULL,
    "SettledAt" TEXT NULL
);

CREATE TABLE "PayoutClawbacks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PayoutClawbacks" PRIMARY KEY,
    "PayoutId" TEXT NOT NULL,
    "AmountMinor" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "CreditJobId" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "ReversalId" TEXT NULL,
    "FailureReason" TEXT NULL,
    "AttemptStartedAt" TEXT NULL,
    "SettledAt" TEXT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "CK_PayoutClawbacks_AmountPositive" CHECK ("AmountMinor" > 0),
    CONSTRAINT "FK_PayoutClawbacks_Payouts_PayoutId" FOREIGN KEY ("PayoutId") REFERENCES "Payouts" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_PayoutRuns_Planning" ON "PayoutRuns" ("Planning");

CREATE INDEX "IX_EscrowPaymentRequests_JobId" ON "EscrowPaymentRequests" ("JobId");

CREATE INDEX "IX_EscrowPaymentRequests_PaymentIntentId" ON "EscrowPaymentRequests" ("PaymentIntentId");

CREATE INDEX "IX_PayoutClawbacks_PayoutId_State" ON "PayoutClawbacks" ("PayoutId", "State");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206112624_PayoutHardening', '10.0.14');

COMMIT;

