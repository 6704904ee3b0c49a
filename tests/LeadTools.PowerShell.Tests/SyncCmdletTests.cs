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
    }
}
