using System;
using System.IO;
using System.Linq;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>The README's main job (examples/Invoke-ExportCheck.ps1) runs on the bundled data and writes what it says.</summary>
    public class ExampleTests
    {
        [Fact]
        public void ExportCheckRunbookRunsOnTheBundledData()
        {
            var output = Path.Combine(Path.GetTempPath(), "leadtools-example", Guid.NewGuid().ToString("N"));
            var script = Path.Combine(Paths.RepoRoot, "examples", "Invoke-ExportCheck.ps1");
            var r = TestHost.Run("& $script -OutputFolder $out | ForEach-Object { \"$_\" }",
                new System.Collections.Generic.Dictionary<string, object?> { ["script"] = script, ["out"] = output });
            Assert.Null(r.Exception);
            Assert.Empty(r.Errors);
            var text = string.Join("\n", r.Output.Select(o => o.ToString()));
            Assert.Contains("Read 39 records", text);
            Assert.Contains("People without an email: 1", text);
            Assert.Contains("Emails held by more than one lead or contact: 2", text);
            Assert.Contains("Duplicate lead groups to merge: 2 (merged earlier: 0)", text);
            // Contacts 2 and 6 lose a contact tag, flagged person account 7's contact gets created-from-salesforce-person-account;
            // contact 6 gets the LastName Salesforce changed after ActiveCampaign did (seed 002: two-way, side changed last wins).
            Assert.Contains("ActiveCampaign contacts: 7; tag operations: 3; contact updates: 1; contacts to create: 0; person accounts to create: 1, to update: 2", text);
            Assert.True(File.Exists(Path.Combine(output, "activecampaign-operations.json")));
            Assert.Contains("Leads to convert: 2 (converted or merged earlier: 0)", text);
            // Seed 000, a conversion done in Salesforce: the later lead export is picked up, the inserted contacts re-keyed,
            // and the old ids (converted there, or merged into a lead converted there) resolve to live contacts.
            Assert.Contains("Leads converted in Salesforce: 2 (picked up now: 2)", text);
            Assert.Contains("Provisional ids re-keyed to Salesforce's: 2 (earlier: 0)", text);
            Assert.Contains("Marketing Cloud contacts (distinct ContactKeys) in the key store: 6 (2 leads, 4 contacts, 0 still provisional); old keys: 8", text);
            var keys = LeadTools.Core.Keys.AlternateKeyStore.Load(Path.Combine(output, "state", "keystore.jsonl"));
            Assert.Equal("0035e00000SfCv1AAF", keys.Resolve("00Q5e00000WebF1EAA")); // merged into Exp01, which Salesforce converted
            Assert.Equal("0035e00000WbIn3AAF", keys.Resolve("00Q5e00000WebF3EAA")); // converted offline, then re-keyed
            Assert.Equal(LeadTools.Core.Keys.DeletionStatus.DeletesLiveContact, LeadTools.Core.Keys.PersonQueries.CheckDeletion(keys, "00Q5e00000Exp03EAA").Status);
            Assert.Contains("Sync (last night): 7 change(s) for Salesforce, 3 for the marketing platform, 5 record(s) skipped", text);
            Assert.Contains("skipped: Local Skipped Account 0015e00000SyNc7EAA: PersonAccounts.1", text);
            Assert.Contains("skipped: Salesforce Skipped Lead LG-1006: Leads.8a the lead is a contact: not pushed", text);
            Assert.True(File.Exists(Path.Combine(output, "sync", "Lead-insert.csv")));
            Assert.DoesNotContain("ObjectType", File.ReadAllLines(Path.Combine(output, "sync", "Lead-insert.csv"))[0]);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "sync", "Local-changes.jsonl")).Length);
            // Tonight: the title a Salesforce user changed at 20:15, after last night's export and before that night's
            // run, is picked up (the watermark is the newest time in last night's export, not the clock of the run);
            // the lead pushed last night is linked and its waiting event pushed, with tonight's page visit.
            // ... and Jonas Weber's lead, converted in Salesforce that day, is marked as the new contact, not created twice.
            Assert.Contains("Sync (tonight): 2 change(s) for Salesforce, 3 for the marketing platform, 0 record(s) skipped", text);
            Assert.Contains("Local Update Lead LG-1002: Leads.2a lead converted in Salesforce: local lead marked as a contact Title=Leiter Einkauf, Phone=+49 89 1234 5678, IsContact=True, CrmId=0035e00000SyNc9EAA", text);
            Assert.DoesNotContain("Local Insert Contact", text);
            Assert.Contains("modified since: Salesforce contacts after 2026-02-10 09:00 UTC", text);
            Assert.Contains("Local Update Contact LG-2001: Contacts.3 resolve field conflicts: update local Title=Owner & Creative Director", text);
            Assert.Contains("LeadGen_Id__c=EV-503, WhoId=00Q5e00000SyNc8EAA", text);
            Assert.Contains("LeadGen_Id__c=EV-504", text);
            Assert.True(File.Exists(Path.Combine(output, "sync-tonight", "Task-insert.csv")));
            Assert.True(File.Exists(Path.Combine(output, "state", "syncstate.json")));
            Assert.Equal(new[] { "Account.csv", "Contact.csv", "Lead.csv", "activecampaign-operations.json" }, Directory.GetFiles(output).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray());
            Assert.True(File.Exists(Path.Combine(output, "state", "keystore.jsonl")));
            // One run per change folder: the merge's and the conversion's files apart, each folder with its complete manifest.
            Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "changes", "convert", "Lead-update.csv")).Length);
            Assert.Equal(new[] { "Id", "00Q5e00000WebF1EAA", "00Q5e00000WebF2EAA" }, File.ReadAllLines(Path.Combine(output, "changes", "merge", "Lead-delete.csv")));
            Assert.True(Core.State.ChangeManifest.Read(Path.Combine(output, "changes", "merge"))!.Completed);
            Assert.True(Core.State.ChangeManifest.Read(Path.Combine(output, "changes", "convert"))!.Completed);
            Assert.Single(Directory.GetFiles(Path.Combine(output, "state", "journal")));
            // The funnel-configured merge and conversion (seed 001): the same-campaign memberships of a merged pair (row 5.3-5),
            // the newer one destroyed, journalled and deleted; the converted lead's response sets the expected contact status.
            Assert.Contains("Merge funnel: group", text);
            Assert.Contains("row 5.3-5; memberships destroyed: 1", text);
            Assert.Contains("Conversion funnel: lead 00Q5e00000WebF3EAA row 5.4-5; expected contact status: Open - Not Contacted", text);
            Assert.Equal(new[] { "Id", "00v5e00000Fun02EAA" }, File.ReadAllLines(Path.Combine(output, "changes", "merge", "CampaignMember-delete.csv")));
            Assert.Contains("00v5e00000Fun02EAA", File.ReadAllText(Directory.GetFiles(Path.Combine(output, "state", "journal"))[0]));

            // A second run converts nothing twice.
            var again = TestHost.Run("& $script -OutputFolder $out | ForEach-Object { \"$_\" }",
                new System.Collections.Generic.Dictionary<string, object?> { ["script"] = script, ["out"] = output });
            Assert.Empty(again.Errors);
            var againText = string.Join("\n", again.Output.Select(o => o.ToString()));
            Assert.Contains("Duplicate lead groups to merge: 0 (merged earlier: 2)", againText);
            Assert.Contains("Leads to convert: 0 (converted or merged earlier: 4)", againText);
            Assert.Contains("Leads converted in Salesforce: 2 (picked up now: 0)", againText);
            Assert.Contains("Provisional ids re-keyed to Salesforce's: 0 (earlier: 2)", againText);
            Assert.Contains("Marketing Cloud contacts (distinct ContactKeys) in the key store: 6 (2 leads, 4 contacts, 0 still provisional); old keys: 8", againText);
            // Nothing synced twice: both nights' exports again change nothing in Salesforce; only the Salesforce id of the
            // lead pushed last night is written back again, until the platform has applied it (its export still lacks it).
            Assert.Contains("Sync (last night): 0 change(s) for Salesforce, 1 for the marketing platform, 0 record(s) skipped", againText);
            Assert.Contains("Sync (tonight): 0 change(s) for Salesforce, 1 for the marketing platform, 0 record(s) skipped", againText);
            Assert.Contains("Local Update Lead LG-1004: Ids.1 write back", againText);
            var leads = File.ReadAllLines(Path.Combine(output, "Lead.csv"));
            Assert.Equal(16, leads.Length);
            // Data Loader files are never escaped (issue 13): the formula reaches the file as it was, and is only warned about.
            Assert.Contains(leads, l => l.Contains(",\"=HYPERLINK", StringComparison.Ordinal));
            Assert.DoesNotContain(leads, l => l.Contains("'=HYPERLINK", StringComparison.Ordinal));
            Assert.DoesNotContain(File.ReadAllText(Path.Combine(output, "Contact.csv")), "@AccountRef");
        }
    }
}
