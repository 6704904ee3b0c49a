using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Sync-PersonAccountTags through the hosted engine, over the ActiveCampaign v3 export and the Salesforce person
    /// accounts of tests/pester/data (SPEC 8): the decisions, the operation file, the change files, -WhatIf and the
    /// configuration errors.
    /// </summary>
    public class TagCmdletTests
    {
        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-tags", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static ScriptResult Run(string script, params (string Name, object? Value)[] variables) =>
            TestHost.Run(script, new[] { ("ac", (object?)AcTags), ("sf", SfPersonAccounts), ("rt", RecordTypeOnly.Value), ("tagstate", Scratch()) }.Concat(variables).ToDictionary(v => v.Item1, v => v.Item2));

        /// <summary>The defaults plus the record type new person accounts need (seed 002: "die Standard-Datensatzart").</summary>
        private static readonly Lazy<string> RecordTypeOnly = new Lazy<string>(() => Config("{ \"defaultRecordTypeId\": \"012000000000PAAAAA\" }"));

        private static string AcTags => Path.Combine(Paths.RepoRoot, "tests", "pester", "data", "ac-tags.json");

        private static string SfPersonAccounts => Path.Combine(Paths.RepoRoot, "tests", "pester", "data", "sf-person-accounts.json");

        /// <summary>Both fixture files through Import-CrmRecord, into the cmdlet (runs that write files are recorded in a state folder of their own).</summary>
        private const string Pipeline = "Import-CrmRecord $ac, $sf | Sync-PersonAccountTags -StatePath $tagstate";

        /// <summary>The pipeline with the defaults and a record type.</summary>
        private const string Defaults = Pipeline + " -ConfigPath $rt";

        private static string Config(string json)
        {
            var path = Path.Combine(Scratch(), "tags.json");
            File.WriteAllText(path, json);
            return path;
        }

        private static object? Prop(PSObject o, string name) => o.Properties[name]?.Value;

        private static string[] Lines(ScriptResult r) => r.Output.Select(o => o.BaseObject?.ToString() ?? string.Empty).ToArray();

        [Fact]
        public void PipelineOverBothFixturesDecidesEveryContact()
        {
            var r = Run(Defaults + " | ForEach-Object { '{0}:{1}:{2}:{3}' -f $_.ContactId, $_.SyncMode, $_.Conflict, ($_.TagsToRemove -join '+') }");
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(new[]
            {
                "1:PersonAccount:False:",
                "2:PersonAccount:True:added-to-salesforce-contact",
                "3:Contact:False:",
                "4:NotSynced:False:",
                "5:PersonAccount:False:",
                "6:PersonAccount:True:salesforce-lead-converted-to-contact",
                "7:NotSynced:False:",
            }, Lines(r));
        }

        [Fact]
        public void DecisionsAreTagDecisionObjectsWithOperationsAndRequests()
        {
            var r = Run(Defaults);
            Assert.Empty(r.Errors);
            Assert.Equal(7, r.Output.Count);
            Assert.All(r.Output, o => Assert.Equal("LeadTools.Core.Tags.TagDecision", o.TypeNames[0]));
            var both = r.Output.Single(o => (string?)Prop(o, "ContactId") == "2");
            var op = PSObject.AsPSObject(Assert.Single(((System.Collections.IEnumerable)Prop(both, "Operations")!).Cast<object>()));
            Assert.Equal("DeleteContactTag", Prop(op, "Action"));
            Assert.Equal("103", Prop(op, "ContactTagId"));
            Assert.Contains("source of truth", (string)Prop(both, "Reason")!);
            // The request tag without a person account of that email asks for one; with one (contact 6), nothing is created.
            Assert.NotNull(Prop(r.Output.Single(o => (string?)Prop(o, "ContactId") == "5"), "PersonAccountToCreate"));
            Assert.Null(Prop(r.Output.Single(o => (string?)Prop(o, "ContactId") == "6"), "PersonAccountToCreate"));
            Assert.NotNull(Prop(r.Output.Single(o => (string?)Prop(o, "ContactId") == "6"), "PersonAccountUpdate"));
        }

        [Theory]
        [InlineData("operations.json")]
        [InlineData("operations.csv")]
        public void OperationPathWritesTheTagOperationsAndTheContactUpdateWithItsRequest(string name)
        {
            var path = Path.Combine(Scratch(), name);
            var r = Run(Defaults + @" -OperationPath $p | ForEach-Object { }
                Import-CrmRecord $p -ObjectType contactTagOperation | ForEach-Object { '{0} {1} {2} {3} {4} | {5} {6} {7}' -f $_.PSObject.TypeNames[0], $_.action, $_.contact, $_.contactTag, $_.tagName, $_.method, $_.path, $_.body }", ("p", path));
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.True(File.Exists(path), path + " was not written.");
            // Contact 6 was last changed in ActiveCampaign on 2026-01-01, its person account in Salesforce on 2026-10-01:
            // Salesforce's LastName goes to ActiveCampaign (seed 002: the two-way mapping, "Immer aktualisieren").
            Assert.Equal(new[]
            {
                "LeadTools.CrmRecord#contactTagOperation DeleteContactTag 2 103 added-to-salesforce-contact | DELETE /api/3/contactTags/103 ",
                "LeadTools.CrmRecord#contactTagOperation DeleteContactTag 6 109 salesforce-lead-converted-to-contact | DELETE /api/3/contactTags/109 ",
                "LeadTools.CrmRecord#contactTagOperation UpdateContact 6   | PUT /api/3/contacts/6 {\"contact\":{\"lastName\":\"Existing\"}}",
            }, Lines(r));
            var text = File.ReadAllText(path);
            Assert.DoesNotContain("AddContactTag", text);
            if (name.EndsWith(".csv", StringComparison.Ordinal))
            {
                Assert.Equal("action,contact,contactTag,tag,tagName,account,method,path,body", text.Split('\n')[0].TrimEnd('\r'));
            }
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
        }

        [Fact]
        public void WithoutARecordTypeARequestIsAnErrorForThatContactAndTheOthersProceed()
        {
            // Seed 002: "Wählen Sie die Standard-Datensatzart, die zugewiesen wird, wenn ein neues Personenkonto in Salesforce
            // erstellt wird": the record type makes the new Account a person account, so without one nothing is requested.
            var folder = Path.Combine(Scratch(), "changes");
            var r = Run(Pipeline + " -ChangeFolder $f | ForEach-Object { '{0}:{1}' -f $_.ContactId, ($null -ne $_.PersonAccountToCreate) }", ("f", folder));
            Assert.Null(r.Exception);
            Assert.Equal(new[] { "1:False", "2:False", "3:False", "4:False", "5:False", "6:False", "7:False" }, Lines(r));
            var error = Assert.Single(r.Errors);
            Assert.Equal("PersonAccountRecordTypeRequired,LeadTools.PowerShell.Commands.SyncPersonAccountTagsCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Equal("5", error.TargetObject);
            Assert.Contains("defaultRecordTypeId", error.Exception.Message);
            Assert.False(File.Exists(Path.Combine(folder, "Account-insert.csv")));
            Assert.True(File.Exists(Path.Combine(folder, "Account-update.csv"))); // contact 6's person account still gets its update
        }

        [Fact]
        public void ASelectedPersonAccountWithoutAContactBecomesACreateContactOperation()
        {
            // Seed 002, from Salesforce to ActiveCampaign: "created-from-salesforce-person-account". Person account 008 was
            // updated after 1 June 2026 and no ActiveCampaign contact has its email.
            var config = Config("{ \"defaultRecordTypeId\": \"012000000000PAAAAA\", \"outbound\": { \"mode\": \"CreatedOrUpdatedSince\", \"since\": \"2026-06-01T00:00:00Z\" } }");
            var path = Path.Combine(Scratch(), "operations.json");
            var r = Run(Pipeline + @" -ConfigPath $c -OperationPath $p | Where-Object { $null -eq $_.ContactId } | ForEach-Object { 'decision {0} {1} {2}' -f $_.AccountId, $_.SyncMode, ($_.TagsToAdd -join '+') }
                Import-CrmRecord $p -ObjectType contactTagOperation | Where-Object action -eq CreateContact | ForEach-Object { '{0} {1} {2} {3} {4}' -f $_.account, $_.method, $_.path, $_.tagName, $_.body }",
                ("c", config), ("p", path));
            Assert.Empty(r.Errors);
            Assert.Equal(new[]
            {
                "decision 001000000000008AAA PersonAccount created-from-salesforce-person-account",
                "001000000000008AAA POST /api/3/contacts created-from-salesforce-person-account {\"contact\":{\"firstName\":\"Sal\",\"lastName\":\"Only\",\"email\":\"sf.only@example.com\"}}",
            }, Lines(r));
        }

        [Fact]
        public void OperationPathWithFlaggedOutboundAlsoHoldsTheAddContactTagOperation()
        {
            var config = Config("{ \"defaultRecordTypeId\": \"012000000000PAAAAA\", \"outbound\": { \"mode\": \"Flagged\", \"field\": \"Sync_To_AC__c\", \"equals\": \"true\" } }");
            var path = Path.Combine(Scratch(), "operations.csv");
            var r = Run(Pipeline + @" -ConfigPath $c -OperationPath $p -IncludeOutbound | ForEach-Object {
                    if ($_ -is [LeadTools.Core.Tags.OutboundDecision]) { 'out {0} {1} {2}' -f $_.AccountId, $_.Selected, $_.MatchedContactId } }
                Import-CrmRecord $p -ObjectType contactTagOperation | Where-Object action -eq AddContactTag | ForEach-Object { 'add {0} {1} {2}' -f $_.contact, $_.tag, $_.tagName }", ("c", config), ("p", path));
            Assert.Empty(r.Errors);
            Assert.Equal(new[]
            {
                "out 001000000000006AAA False 6",
                "out 001000000000007AAA True 7",
                "out 001000000000008AAA False ",
                "add 7 1 created-from-salesforce-person-account",
            }, Lines(r));
        }

        [Fact]
        public void ChangeFolderWritesAccountInsertForTheRequest()
        {
            var folder = Path.Combine(Scratch(), "changes");
            var config = Config("{ \"schemaVersion\": 1, \"defaultRecordTypeId\": \"012000000000PAAAAA\", \"activeCampaignIdField\": \"AC_Contact_Id__pc\" }");
            var r = Run(Pipeline + @" -ConfigPath $c -ChangeFolder $f | ForEach-Object { }
                Import-CrmRecord ([System.IO.Path]::Combine($f, 'Account-insert.csv')) -ObjectType Account | ForEach-Object { '{0} {1} {2} {3}' -f $_.RecordTypeId, $_.LastName, $_.PersonEmail, $_.AC_Contact_Id__pc }",
                ("c", config), ("f", folder));
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(new[] { "012000000000PAAAAA Quest new.request@example.com 5" }, Lines(r));
            // Exactly one person account is requested (contact 6 has one already), without IsPersonAccount (the record type decides).
            var insert = File.ReadAllLines(Path.Combine(folder, "Account-insert.csv"));
            Assert.Equal(2, insert.Length);
            Assert.DoesNotContain("IsPersonAccount", insert[0]);
            // The existing one gets the blank Phone filled and the link to its contact, but not the stale LastName "Xisting":
            // Salesforce changed it after ActiveCampaign did.
            var update = File.ReadAllLines(Path.Combine(folder, "Account-update.csv"));
            Assert.Equal("Id,Phone,AC_Contact_Id__pc", update[0]);
            Assert.Equal("001000000000006AAA,555-0106,6", update[1]);
        }

        [Fact]
        public void OperationPathCreatesItsFolderLikeChangeFolder()
        {
            var path = Path.Combine(Scratch(), "not", "yet", "operations.csv");
            var r = Run(Defaults + " -OperationPath $p | ForEach-Object { }", ("p", path));
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(4, File.ReadAllLines(path).Length); // header + two deletes + contact 6's update
        }

        [Fact]
        public void ALinkToAnUnknownTagIdIsAWarningAndTheRestProceeds()
        {
            var folder = Scratch();
            var extra = Path.Combine(folder, "links.json");
            File.WriteAllText(extra, "{ \"contactTags\": [ { \"contact\": \"1\", \"tag\": \"77\", \"id\": \"901\" } ] }");
            var r = Run(@"Import-CrmRecord $ac, $sf, $x | Sync-PersonAccountTags -ConfigPath $rt -WarningVariable w | ForEach-Object { }
                $w | ForEach-Object { ""$_"" }", ("x", extra));
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            var warning = Assert.Single(Lines(r));
            Assert.Contains("ActiveCampaign contact 1", warning);
            Assert.Contains("901 (tag 77)", warning);
        }

        [Fact]
        public void WhatIfWritesNothingButReturnsTheDecisions()
        {
            var folder = Scratch();
            var r = Run(Defaults + @" -OperationPath ([System.IO.Path]::Combine($f, 'ops.json')) -ChangeFolder ([System.IO.Path]::Combine($f, 'changes')) -WhatIf |
                ForEach-Object { '{0}:{1}:{2}' -f $_.ContactId, $_.SyncMode, $_.Operations.Count }", ("f", folder));
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(new[] { "1:PersonAccount:0", "2:PersonAccount:1", "3:Contact:0", "4:NotSynced:0", "5:PersonAccount:0", "6:PersonAccount:2", "7:NotSynced:0" }, Lines(r));
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Theory]
        [InlineData("{ \"outbound\": { \"mode\": \"Sometimes\" } }", "outbound.mode")]
        [InlineData("{ \"outbound\": { \"mode\": \"Flagged\" } }", "outbound.field")]
        [InlineData("{ \"fieldMapping\": [ { \"from\": \"phone\", \"to\": \"Phone\", \"policy\": \"IfEmpty\" } ] }", "fieldMapping[0].policy")]
        [InlineData("{ \"createRequestTag\": \"please\" }", "createRequestTag")]
        [InlineData("{ \"contactTags\": [\"added-to-salesforce-person-account\"] }", "contactTags")]
        [InlineData("{ \"colour\": 1 }", "colour")]
        public void BadConfigPathIsInvalidTagConfigNamingTheKey(string json, string key)
        {
            var config = Config(json);
            var folder = Scratch();
            var r = Run(Pipeline + " -ConfigPath $c -OperationPath ([System.IO.Path]::Combine($f, 'ops.json'))", ("c", config), ("f", folder));
            // A terminating error: nothing is decided and nothing is written.
            var error = r.Exception is ActionPreferenceStopException stop ? stop.ErrorRecord : (r.Exception as IContainsErrorRecord)?.ErrorRecord ?? r.Errors.FirstOrDefault();
            Assert.NotNull(error);
            Assert.Equal("InvalidTagConfig,LeadTools.PowerShell.Commands.SyncPersonAccountTagsCommand", error!.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("'" + key + "'", error.Exception.Message);
            Assert.Contains("tags.json", error.Exception.Message);
            Assert.Equal(key, error.TargetObject);
            Assert.Empty(r.Output);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public void MissingConfigPathIsInvalidTagConfig()
        {
            var missing = Path.Combine(Scratch(), "nope.json");
            var r = Run(Pipeline + " -ConfigPath $c", ("c", missing));
            var error = (r.Exception as IContainsErrorRecord)?.ErrorRecord ?? r.Errors.FirstOrDefault();
            Assert.NotNull(error);
            Assert.StartsWith("InvalidTagConfig,", error!.FullyQualifiedErrorId);
            Assert.Contains("does not exist", error.Exception.Message);
        }
    }
}
