using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Sync;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>Sync-CrmRecord through the hosted engine: snapshots as JSON files, the state saved, -WhatIf, a bad profile.</summary>
    public class SyncCmdletTests
    {
        private const string LocalJson = @"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L1"", ""LastName"": ""Ng"", ""Company"": ""Acme"", ""Email"": ""ng@acme.test"", ""Title"": ""CTO"", ""CrmId"": ""00Q000000000001AAA"", ""ModifiedDate"": ""2026-01-20T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L2"", ""LastName"": ""Ito"", ""Company"": ""Bolt"", ""Email"": ""ito@bolt.test"", ""Title"": ""CEO"", ""CrmId"": ""00Q000000000002AAA"", ""ModifiedDate"": ""2025-12-01T00:00:00.000Z"" }
]";

        private const string SalesforceJson = @"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000001AAA"", ""LastName"": ""Ng"", ""Company"": ""Acme"", ""Email"": ""ng@acme.test"", ""Title"": ""VP"", ""LastModifiedDate"": ""2026-01-10T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000002AAA"", ""LastName"": ""Ito"", ""Company"": ""Bolt"", ""Email"": ""ito@bolt.test"", ""Title"": ""CFO"", ""LastModifiedDate"": ""2026-01-10T00:00:00.000Z"" }
]";

        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-ps-sync", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "local.json"), LocalJson);
            File.WriteAllText(Path.Combine(dir, "salesforce.json"), SalesforceJson);
            return dir;
        }

        private static ScriptResult Run(string script, string dir) =>
            TestHost.Run(script, new System.Collections.Generic.Dictionary<string, object?> { ["dir"] = dir });

        [Fact]
        public void SyncsOnceThenFindsNothingToDo()
        {
            var dir = Scratch();
            var r = Run(@"
                $first = @(Sync-CrmRecord -LocalPath ($dir + '/local.json') -SalesforcePath ($dir + '/salesforce.json') -StatePath ($dir + '/state') -ChangeFolder ($dir + '/changes'))
                $second = @(Sync-CrmRecord -LocalPath ($dir + '/local.json') -SalesforcePath ($dir + '/salesforce.json') -StatePath ($dir + '/state'))
                $first.Count
                ($first | Where-Object Side -eq 'Salesforce' | ForEach-Object Id) -join ','
                ($first | Where-Object Side -eq 'Local' | ForEach-Object Id) -join ','
                $second.Count", dir);
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { 2, "00Q000000000001AAA", "L2", 0 }, r.Output.Select(o => o.BaseObject).ToArray());
            Assert.True(File.Exists(Path.Combine(dir, "state", SyncState.FileName)));
            Assert.True(File.Exists(Path.Combine(dir, "changes", "Lead-update.csv")));
            var line = Assert.Single(File.ReadAllLines(Path.Combine(dir, "changes", "Local-changes.jsonl")));
            Assert.Contains("\"CFO\"", line);
        }

        [Fact]
        public void WhatIfReturnsTheChangesButSavesNothing()
        {
            var dir = Scratch();
            var r = Run(@"
                (Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state') -ChangeFolder ($dir + '/changes') -WhatIf).Count
                (Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state') -WhatIf).Count", dir);
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { 2, 2 }, r.Output.Select(o => o.BaseObject).ToArray());
            Assert.False(File.Exists(Path.Combine(dir, "state", SyncState.FileName)));
            Assert.False(Directory.Exists(Path.Combine(dir, "changes")));
        }

        [Fact]
        public void ABadProfileNamesTheKey()
        {
            var dir = Scratch();
            File.WriteAllText(Path.Combine(dir, "profile.json"), @"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": { ""direction"": ""sideways"" } } }");
            var r = Run(@"
                try { Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -ProfilePath ($dir + '/profile.json') -StatePath ($dir + '/state') -ErrorAction Stop }
                catch { $_.FullyQualifiedErrorId; $_.TargetObject; $_.Exception.Message }", dir);
            Assert.Null(r.Exception);
            var output = r.Output.Select(o => o.BaseObject.ToString()).ToArray();
            Assert.Equal("InvalidSyncProfile,LeadTools.PowerShell.Commands.SyncCrmRecordCommand", output[0]);
            Assert.Equal("objects.Leads.direction", output[1]);
            Assert.Contains("sideways", output[2]);
            Assert.False(File.Exists(Path.Combine(dir, "state", SyncState.FileName)));
        }
        [Fact]
        public void TakesTheLocalSnapshotFromThePipelineAndSalesforceRecordsAsAnArray()
        {
            var dir = Scratch();
            var r = Run(@"
                $sf = @(Import-CrmRecord -Path ($dir + '/salesforce.json'))
                $changes = @(Import-CrmRecord -Path ($dir + '/local.json') | Sync-CrmRecord -SalesforceRecord $sf -StatePath ($dir + '/state'))
                ($changes | ForEach-Object { $_.Side.ToString() + ':' + $_.Id }) -join ','
                @(Import-CrmRecord -Path ($dir + '/local.json') | Sync-CrmRecord -SalesforceRecord $sf -StatePath ($dir + '/state')).Count", dir);
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { "Salesforce:00Q000000000001AAA,Local:L2", 0 }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void NeedsExactlyOneSnapshotPerSide()
        {
            var dir = Scratch();
            var r = Run(@"
                foreach ($call in @(
                    { Sync-CrmRecord -SalesforcePath ($dir + '/salesforce.json') -StatePath ($dir + '/state') -ErrorAction Stop },
                    { Import-CrmRecord -Path ($dir + '/local.json') | Sync-CrmRecord -LocalPath ($dir + '/local.json') -SalesforcePath ($dir + '/salesforce.json') -StatePath ($dir + '/state') -ErrorAction Stop },
                    { Sync-CrmRecord -LocalPath ($dir + '/local.json') -StatePath ($dir + '/state') -ErrorAction Stop })) {
                    try { & $call; 'no error' } catch { $_.FullyQualifiedErrorId.Split(',')[0] + ': ' + $_.Exception.Message }
                }", dir);
            Assert.Null(r.Exception);
            var output = r.Output.Select(o => o.BaseObject.ToString()).ToArray();
            Assert.Equal(3, output.Length);
            Assert.All(output, o => Assert.StartsWith("SnapshotParameters: Give exactly one ", o));
            Assert.Contains("local snapshot", output[0]);
            Assert.Contains("local snapshot", output[1]);
            Assert.Contains("Salesforce snapshot", output[2]);
            Assert.False(File.Exists(Path.Combine(dir, "state", SyncState.FileName)));
        }

        [Fact]
        public void RecordsWithoutAnObjectTypeAreReportedAndStopTheRunUnlessAPartialRunIsAllowed()
        {
            var dir = Scratch();
            var r = Run(@"
                $local = @([pscustomobject]@{ Id = 'X1'; LastName = 'Nobody' }) + @(Import-CrmRecord -Path ($dir + '/local.json'))
                try { $null = Sync-CrmRecord -LocalRecord $local -SalesforcePath ($dir + '/salesforce.json') -StatePath ($dir + '/state') -ErrorAction SilentlyContinue -ErrorVariable bad } catch { $_.FullyQualifiedErrorId.Split(',')[0] }
                $bad[0].FullyQualifiedErrorId.Split(',')[0]
                [System.IO.File]::Exists($dir + '/state/syncstate.json')
                @(Sync-CrmRecord -LocalRecord $local -SalesforcePath ($dir + '/salesforce.json') -StatePath ($dir + '/state') -AllowPartialSnapshot -ErrorAction SilentlyContinue -WarningAction SilentlyContinue).Count", dir);
            Assert.Null(r.Exception);
            Assert.Equal(new object[] { "SnapshotIncomplete", "ObjectTypeUnknown", false, 2 }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        // Issue 13: "Any snapshot error must leave the state untouched (or the run must stop before saving), unless the user explicitly accepts a partial run."
        [Fact]
        public void ASnapshotWithABadLineStopsTheRunBeforeItSavesOrWritesAnything()
        {
            var dir = Scratch();
            var r = Run(@"
                $null = Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state')
                [System.IO.File]::ReadAllText($dir + '/state/syncstate.json')", dir);
            Assert.Null(r.Exception);
            var saved = r.Output.Single().BaseObject.ToString()!;
            // Tonight's Salesforce export is cut: line 3 is damaged; Silva's new lead (line 4) is older than Ng's edit (line 2).
            File.WriteAllText(Path.Combine(dir, "tonight.jsonl"),
                "{\"ObjectType\":\"Lead\",\"Id\":\"00Q000000000001AAA\",\"LastName\":\"Ng\",\"Company\":\"Acme\",\"Email\":\"ng@acme.test\",\"Title\":\"CIO\",\"LastModifiedDate\":\"2026-02-10T00:00:00.000Z\"}\n" +
                "{\"ObjectType\":\"Lead\",\"Id\":\"00Q000000000002AAA\",\"LastName\": \n" +
                "{\"ObjectType\":\"Lead\",\"Id\":\"00Q000000000003AAA\",\"LastName\":\"Silva\",\"Company\":\"Cargo\",\"Email\":\"silva@cargo.test\",\"LastModifiedDate\":\"2026-02-01T00:00:00.000Z\"}\n");
            var r2 = Run(@"
                try { Sync-CrmRecord ($dir + '/local.json') ($dir + '/tonight.jsonl') -StatePath ($dir + '/state') -ChangeFolder ($dir + '/changes') -ErrorAction SilentlyContinue -ErrorVariable bad } catch { $_.FullyQualifiedErrorId.Split(',')[0]; $_.Exception.Message }
                $bad.Count -ge 1
                [System.IO.Directory]::Exists($dir + '/changes')
                [System.IO.File]::ReadAllText($dir + '/state/syncstate.json')", dir);
            Assert.Null(r2.Exception);
            var output = r2.Output.Select(o => o.BaseObject.ToString()).ToArray();
            Assert.Equal("SnapshotIncomplete", output[0]);
            Assert.Contains("tonight.jsonl", output[1]);
            Assert.Contains("-AllowPartialSnapshot", output[1]);
            Assert.Equal("True", output[2]);
            Assert.Equal("False", output[3]);
            Assert.Equal(saved, output[4]);
        }

        [Fact]
        public void APartialRunKeepsTheWatermarkSoTheRecordsOnTheBadLinesComeWithTheNextCompleteExport()
        {
            var dir = Scratch();
            File.WriteAllText(Path.Combine(dir, "cut.jsonl"),
                "{\"ObjectType\":\"Lead\",\"Id\":\"00Q000000000001AAA\",\"LastName\":\"Ng\",\"Company\":\"Acme\",\"Email\":\"ng@acme.test\",\"Title\":\"CIO\",\"LastModifiedDate\":\"2026-02-10T00:00:00.000Z\"}\n" +
                "{\"ObjectType\":\"Lead\",\"Id\":\"00Q000000000003AAA\",\"LastName\": \n");
            File.WriteAllText(Path.Combine(dir, "fixed.jsonl"),
                "{\"ObjectType\":\"Lead\",\"Id\":\"00Q000000000001AAA\",\"LastName\":\"Ng\",\"Company\":\"Acme\",\"Email\":\"ng@acme.test\",\"Title\":\"CIO\",\"LastModifiedDate\":\"2026-02-10T00:00:00.000Z\"}\n" +
                "{\"ObjectType\":\"Lead\",\"Id\":\"00Q000000000003AAA\",\"LastName\":\"Silva\",\"Company\":\"Cargo\",\"Email\":\"silva@cargo.test\",\"LastModifiedDate\":\"2026-02-01T00:00:00.000Z\"}\n");
            var r = Run(@"
                $partial = @(Sync-CrmRecord ($dir + '/local.json') ($dir + '/cut.jsonl') -StatePath ($dir + '/state') -AllowPartialSnapshot -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -WarningVariable warned)
                ($partial | ForEach-Object { $_.Side.ToString() + ' ' + $_.Operation + ' ' + $_.Id }) -join ','
                @($warned | Where-Object { $_.Message -like 'Partial run*' }).Count
                @((Get-CrmSyncState -StatePath ($dir + '/state')).SalesforceWatermark.Keys).Count
                $next = @(Sync-CrmRecord ($dir + '/local.json') ($dir + '/fixed.jsonl') -StatePath ($dir + '/state'))
                ($next | ForEach-Object { $_.Side.ToString() + ' ' + $_.Operation + ' ' + $_.FieldsAfter['CrmId'] }) -join ','", dir);
            Assert.Null(r.Exception);
            var output = r.Output.Select(o => o.BaseObject.ToString()).ToArray();
            // The readable edit is synced; no watermark was set by the partial run; Silva, on the cut line, comes next time.
            Assert.Equal("Local Update L1", output[0]);
            Assert.Equal("1", output[1]);
            Assert.Equal("0", output[2]);
            Assert.Contains("Local Insert 00Q000000000003AAA", output[3]);
        }

        [Fact]
        public void ADamagedStateIsRefusedWithStateCorruptAndNotRewritten()
        {
            var dir = Scratch();
            var r = Run(@"$null = Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state')", dir);
            Assert.Null(r.Exception);
            var path = Path.Combine(dir, "state", SyncState.FileName);
            // Someone "cleans up" the links by hand.
            var damaged = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), "\"links\": \\{[^}]*\\}", "\"links\": { \"Lead\": {}");
            Assert.NotEqual(File.ReadAllText(path), damaged);
            File.WriteAllText(path, damaged);
            var r2 = Run(@"
                try { Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state') } catch { $_.FullyQualifiedErrorId.Split(',')[0]; $_.Exception.Message }", dir);
            Assert.Null(r2.Exception);
            var output = r2.Output.Select(o => o.BaseObject.ToString()).ToArray();
            Assert.Equal("StateCorrupt", output[0]);
            Assert.Contains("syncstate.json: line ", output[1]);
            Assert.Contains("links.Lead holds 0 link(s), but the state counted 2", output[1]);
            Assert.Equal(damaged, File.ReadAllText(path));
        }

        [Fact]
        public void InsertResultsLinkPushedLeadsAndWriteTheirIdsBack()
        {
            var dir = Scratch();
            File.WriteAllText(Path.Combine(dir, "new.json"), @"[ { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L3"", ""LastName"": ""Silva"", ""Company"": ""Cargo"", ""Email"": ""silva@cargo.test"", ""ModifiedDate"": ""2026-01-20T00:00:00.000Z"" } ]");
            File.WriteAllText(Path.Combine(dir, "success.csv"), "\"ID\",\"LEADGEN_ID__C\",\"STATUS\"\r\n\"00Q000000000003AAA\",\"L3\",\"Item Created\"\r\n\"\",\"L4\",\"\"\r\n");
            var r = Run(@"
                $pushed = @(Sync-CrmRecord -LocalPath ($dir + '/new.json') -SalesforcePath ($dir + '/salesforce.json') -StatePath ($dir + '/state') -ChangeFolder ($dir + '/run1'))
                ($pushed | ForEach-Object { $_.Side.ToString() + ' ' + $_.Operation }) -join ','
                $back = @(Sync-CrmRecord -LocalPath ($dir + '/new.json') -SalesforcePath ($dir + '/salesforce.json') -StatePath ($dir + '/state') -InsertResultPath ($dir + '/success.csv') -ChangeFolder ($dir + '/run2') -ErrorAction SilentlyContinue -ErrorVariable bad)
                ($back | ForEach-Object { $_.Side.ToString() + ' ' + $_.Id + ' ' + $_.Step.Split(' ')[0] + ' ' + $_.FieldsAfter['CrmId'] }) -join ','
                $bad.Count
                $bad[0].Exception.Message", dir);
            Assert.Null(r.Exception);
            var output = r.Output.Select(o => o.BaseObject.ToString()).ToArray();
            Assert.Contains("Salesforce Insert", output[0]);
            Assert.Equal("Local L3 Ids.1 00Q000000000003AAA", output[1]);
            Assert.Equal("1", output[2]);
            Assert.Contains("success.csv", output[3]);
            Assert.Contains("line 3", output[3]);
            Assert.Contains("00Q000000000003AAA", File.ReadAllText(Path.Combine(dir, "run2", "Local-changes.jsonl")));
            var state = SyncState.Load(Path.Combine(dir, "state", SyncState.FileName));
            Assert.Equal("00Q000000000003AAA", state.SalesforceIdOf("Lead", "L3"));
        }

        [Fact]
        public void PruneLinksDropsLinksOfRecordsGoneFromTheSnapshots()
        {
            var dir = Scratch();
            File.WriteAllText(Path.Combine(dir, "one.json"), LocalJson.Replace(@"""L2""", @"""L2x"""));
            var r = Run(@"
                $null = Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state')
                Sync-CrmRecord ($dir + '/one.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state') -PruneLinks -Verbose 4>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { $_.Message } }", dir);
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            var verbose = r.Output.Select(o => o.BaseObject.ToString()).ToArray();
            Assert.Contains("Pruned link Lead L2 = 00Q000000000002AAA: the record is gone from its snapshot.", verbose);
            Assert.Contains("Pruned 1 stale link(s).", verbose);
            var state = SyncState.Load(Path.Combine(dir, "state", SyncState.FileName));
            Assert.Null(state.SalesforceIdOf("Lead", "L2"));
            Assert.Equal("00Q000000000001AAA", state.SalesforceIdOf("Lead", "L1"));
        }
        [Fact]
        public void ABadRecordInASnapshotIsReportedOnceEvenWhenTheFileIsReadTwice()
        {
            var dir = Scratch();
            // L2 twice (DuplicateId); the Salesforce edit of L2's lead makes the engine read the local file a second time.
            File.WriteAllText(Path.Combine(dir, "dup.json"), LocalJson.Replace("\n]", ",\n  { \"attributes\": { \"type\": \"Lead\" }, \"Id\": \"L2\", \"LastName\": \"Ito\" }\n]"));
            File.WriteAllText(Path.Combine(dir, "salesforce.json"), SalesforceJson.Replace("\"CFO\", \"LastModifiedDate\": \"2026-01-10", "\"CFO\", \"LastModifiedDate\": \"2026-01-16"));
            Directory.CreateDirectory(Path.Combine(dir, "state"));
            var last = new SyncState();
            foreach (var name in SyncProfile.ObjectNames) last.SetLastSync(name, new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero));
            last.Save(Path.Combine(dir, "state", SyncState.FileName));
            var r = Run(@"
                $changes = @(Sync-CrmRecord ($dir + '/dup.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state') -ErrorAction SilentlyContinue -ErrorVariable bad)
                $bad.Count
                $bad[0].FullyQualifiedErrorId.Split(',')[0]
                $changes.Count", dir);
            Assert.Null(r.Exception);
            // One change: L2's Salesforce edit pulled; L1's local edit is held back by rule L8 (it has a CRM id).
            Assert.Equal(new object[] { 1, "DuplicateId", 1 }, r.Output.Select(o => o.BaseObject).ToArray());
        }
        [Fact]
        public void GetCrmSyncStateShowsTheLastSyncTheLinksAndPendingEvents()
        {
            var dir = Scratch();
            var r = Run(@"
                $before = Get-CrmSyncState -StatePath ($dir + '/state')
                $before.Exists
                $null = Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state')
                $s = Get-CrmSyncState -StatePath ($dir + '/state')
                $s.Exists
                $s.LastSync.Count
                $s.LastSync['Leads'] -is [datetime]
                $s.SalesforceWatermark['Leads'].ToString('o')
                $s.LocalWatermark['Leads'].ToString('o')
                $s.LinkCount['Lead']
                (Get-CrmSyncState -StatePath ($dir + '/state') -Link | ForEach-Object { $_.LocalId + '=' + $_.SalesforceId }) -join ','
                ('L2', '00Q000000000001AAA', 'nope' | Get-CrmSyncState -StatePath ($dir + '/state') -Link | ForEach-Object LocalId) -join ','
                @(Get-CrmSyncState -StatePath ($dir + '/state') -Link -ObjectType Contact).Count", dir);
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(new object[] { false, true, 8, true, "2026-01-10T00:00:00.0000000Z", "2026-01-20T00:00:00.0000000Z", 2, "L1=00Q000000000001AAA,L2=00Q000000000002AAA", "L2,L1", 0 }, r.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void ALeadConvertedInSalesforceMarksTheLocalLeadAsAContactThroughThePipelineAndLeadsWithoutACompanyFollowTheProfile()
        {
            // Issue 15: "A lead converted in Salesforce creates a duplicate local contact; the local lead must be marked as a
            // contact and linked." Seed 002: "Lead-Synchronisierung ohne Firmenname für Personenkontenkonversion zulassen";
            // seed 003: "If Last Name, Company, and Email are set, push it."
            var dir = Scratch();
            File.WriteAllText(Path.Combine(dir, "local.json"), @"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L1"", ""LastName"": ""Ng"", ""Company"": ""Acme"", ""Email"": ""ng@acme.test"", ""Title"": ""CTO"", ""CrmId"": ""00Q000000000001AAA"", ""ModifiedDate"": ""2025-12-01T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L3"", ""LastName"": ""Haddad"", ""Email"": ""noor@example.net"", ""ModifiedDate"": ""2026-01-12T00:00:00.000Z"" }
]");
            File.WriteAllText(Path.Combine(dir, "salesforce.json"), @"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000001AAA"", ""LastName"": ""Ng"", ""Company"": ""Acme"", ""Email"": ""ng@acme.test"", ""Title"": ""CTO"", ""IsConverted"": true, ""ConvertedContactId"": ""003000000000001AAA"", ""ConvertedDate"": ""2026-01-10"", ""LastModifiedDate"": ""2026-01-10T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Contact"" }, ""Id"": ""003000000000001AAA"", ""LastName"": ""Ng"", ""Email"": ""ng@acme.test"", ""Title"": ""CIO"", ""LastModifiedDate"": ""2026-01-11T00:00:00.000Z"" }
]");
            File.WriteAllText(Path.Combine(dir, "profile.json"), @"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": { ""pushWithoutCompany"": true } } }");
            var r = Run(@"
                $default = @(Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -StatePath ($dir + '/state-default') -WhatIf -WarningVariable w -WarningAction SilentlyContinue)
                ($default | ForEach-Object { $_.Side.ToString() + ' ' + $_.Operation + ' ' + $_.ObjectType + ' ' + $_.Id }) -join ','
                @($w | Where-Object { $_.Message -like '*Company*' }).Count
                $first = @(Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -ProfilePath ($dir + '/profile.json') -StatePath ($dir + '/state') -ChangeFolder ($dir + '/changes'))
                $marked = $first | Where-Object { $_.Side -eq 'Local' -and $_.Id -eq 'L1' }
                $marked.Step
                $marked.FieldsAfter['IsContact']
                $marked.FieldsAfter['CrmId']
                $marked.FieldsAfter['Title']
                @($first | Where-Object { $_.Side -eq 'Local' -and $_.Operation -eq 'Insert' }).Count
                ($first | Where-Object { $_.Side -eq 'Salesforce' -and $_.Operation -eq 'Insert' }).Step
                (Get-CrmSyncState -StatePath ($dir + '/state') -Link -ObjectType Contact | ForEach-Object { $_.LocalId + '=' + $_.SalesforceId }) -join ','
                @(Sync-CrmRecord ($dir + '/local.json') ($dir + '/salesforce.json') -ProfilePath ($dir + '/profile.json') -StatePath ($dir + '/state') -WarningAction SilentlyContinue | Where-Object { $_.Id -eq 'L1' -or $_.Operation -eq 'Insert' -and $_.Side -eq 'Local' }).Count", dir);
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            Assert.Equal(new object[]
            {
                "Local Update Lead L1", 1,
                "Leads.2a lead converted in Salesforce: local lead marked as a contact", true, "003000000000001AAA", "CIO", 0,
                "Leads.8c Last Name and Email set, no Company (pushWithoutCompany: person-account conversion): pushed",
                "L1=003000000000001AAA", 0,
            }, r.Output.Select(o => o.BaseObject).ToArray());
            Assert.Contains("\"IsContact\":true", File.ReadAllText(Path.Combine(dir, "changes", "Local-changes.jsonl")));
        }

        [Fact]
        public void GetCrmSyncStateReportsADamagedStateFile()
        {
            var dir = Scratch();
            Directory.CreateDirectory(Path.Combine(dir, "state"));
            File.WriteAllText(Path.Combine(dir, "state", SyncState.FileName), "{ \"schema\": \"LeadTools.SyncState\", ");
            var r = Run(@"
                try { Get-CrmSyncState -StatePath ($dir + '/state') -ErrorAction Stop } catch { $_.FullyQualifiedErrorId.Split(',')[0]; $_.Exception.Message }", dir);
            Assert.Null(r.Exception);
            var output = r.Output.Select(o => o.BaseObject.ToString()).ToArray();
            Assert.Equal("StateCorrupt", output[0]);
            Assert.Contains("syncstate.json", output[1]);
        }
    }
}
