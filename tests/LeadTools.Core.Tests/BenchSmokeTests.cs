using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using LeadTools.DataGen;

namespace LeadTools.Core.Tests
{
    /// <summary>
    /// The benchmark's generator (bench/LeadTools.DataGen) and a 10k smoke run of its import workloads, so the
    /// benchmark cannot rot. No timing is asserted: times are the benchmark's business (SPEC 9.5).
    /// </summary>
    public sealed class BenchSmokeTests
    {
        private static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-bench-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static List<CrmRecord> Read(string path, out List<RecordIssue> issues)
        {
            var found = new List<RecordIssue>();
            var records = new RecordReader(new ImportOptions(), found.Add).ReadFile(path).ToList();
            issues = found;
            return records;
        }

        private static string Flatten(CrmRecord r) => string.Join("|", r.Select(kv => kv.Key + "=" + RecordValue.ToText(kv.Value)));

        [Fact]
        public void Salesforce_ids_carry_the_case_safe_checksum()
        {
            Assert.True(SalesforceIds.IsValid18("001A0000006Vm9rIAC"));
            Assert.False(SalesforceIds.IsValid18("001A0000006Vm9rIAD"));
            var id = SalesforceIds.Make("00Q", 123_456_789);
            Assert.Equal(18, id.Length);
            Assert.StartsWith("00Q", id, StringComparison.Ordinal);
            Assert.True(SalesforceIds.IsValid18(id));
            Assert.Equal("Lead", ObjectTypes.FromSalesforceId(id));
        }

        [Fact]
        public void The_same_seed_gives_the_same_leads_and_another_seed_other_leads()
        {
            var a = CrmDataGenerator.Leads(2000, 7).Select(Flatten).ToList();
            var b = CrmDataGenerator.Leads(2000, 7).Select(Flatten).ToList();
            var c = CrmDataGenerator.Leads(2000, 8).Select(Flatten).ToList();
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
            Assert.Equal(a.Take(100), CrmDataGenerator.Leads(100, 7).Select(Flatten));
        }

        [Fact]
        public void WriteLeads_is_deterministic_and_writes_the_count_with_duplicates_and_a_truth_file_of_existing_ids()
        {
            var dir = Scratch();
            var first = Path.Combine(dir, "a", "leads.json");
            var second = Path.Combine(dir, "b", "leads.json");
            var truth1 = CrmDataGenerator.WriteLeads(first, 3000, 11);
            var truth2 = CrmDataGenerator.WriteLeads(second, 3000, 11);
            Assert.Equal(CrmDataGenerator.TruthPathFor(first), truth1);
            Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
            Assert.Equal(File.ReadAllBytes(truth1), File.ReadAllBytes(truth2));

            var records = Read(first, out var issues);
            Assert.Empty(issues);
            Assert.Equal(3000, records.Count);
            Assert.All(records, r => Assert.Equal("Lead", r.ObjectType));
            Assert.All(records, r => Assert.True(SalesforceIds.IsValid18(r.Id), r.Id));
            Assert.True(records.First().Count >= 15, "a lead has about 15 fields");
            var ids = new HashSet<string>(records.Select(r => r.Id!), StringComparer.Ordinal);
            Assert.Equal(3000, ids.Count);

            var clusters = CrmDataGenerator.ReadTruth(truth1);
            Assert.All(clusters, kv => Assert.Contains(kv.Key, ids));
            Assert.All(clusters, kv => Assert.Contains(kv.Value, ids));
            var groups = clusters.GroupBy(kv => kv.Value).ToList();
            Assert.All(groups, g => Assert.True(g.Count() >= 2 && g.Any(kv => kv.Key == g.Key), $"cluster {g.Key} has its origin and a copy"));
            // 10% of the leads are copies: about 300 copies in roughly as many clusters.
            var copies = clusters.Count - groups.Count;
            Assert.InRange(copies, 200, 400);
            Assert.Equal(CrmDataGenerator.LeadClusters(3000, 11), File.ReadLines(truth1).Skip(1).Select(l => new KeyValuePair<string, string>(l.Split(',')[0], l.Split(',')[1])));

            // The copies are noisy: the same person spelled differently.
            var byId = records.ToDictionary(r => r.Id!, StringComparer.Ordinal);
            var members = groups.Select(g => g.Select(kv => byId[kv.Key]).ToList()).ToList();
            bool Differs(string field) => members.Any(m => m.Select(r => r.GetString(field)).Distinct().Count() > 1);
            Assert.True(Differs("Email") && Differs("Phone") && Differs("FirstName") && Differs("Company"));
            Assert.Contains(members, m => m.Select(r => r.GetString("Email")?.Trim().ToLowerInvariant()).Where(e => e != null).Distinct().Count() == 1
                && m.Select(r => r.GetString("Email")).Where(e => e != null).Distinct().Count() > 1);
            Assert.Contains(records, r => r.GetString("Phone") is string p && p.StartsWith("(", StringComparison.Ordinal));
            Assert.Contains(records, r => r.GetString("Phone") is string p && p.StartsWith("+1 ", StringComparison.Ordinal));
            Assert.Contains(records, r => r["Title"] == null);
        }

        [Theory]
        [InlineData(RecordFormat.Csv)]
        [InlineData(RecordFormat.JsonLines)]
        [InlineData(RecordFormat.SalesforceRest)]
        public void Leads_are_written_in_the_export_formats_and_read_back(RecordFormat format)
        {
            var path = Path.Combine(Scratch(), "Lead" + CrmDataGenerator.ExtensionFor(format));
            CrmDataGenerator.WriteLeads(path, 500, 3, format);
            var records = Read(path, out var issues);
            Assert.Empty(issues);
            Assert.Equal(500, records.Count);
            Assert.Equal(CrmDataGenerator.Leads(500, 3).Select(r => r.Id), records.Select(r => r.Id));
        }

        [Fact]
        public void A_data_set_has_every_object_linked_and_truth_across_objects()
        {
            var set = CrmDataGenerator.WriteDataSet(Scratch(), 1000, 5);
            var all = new Dictionary<string, List<CrmRecord>>(StringComparer.Ordinal);
            foreach (var kv in set.Files)
            {
                all[kv.Key] = Read(kv.Value, out var issues);
                Assert.Empty(issues);
                Assert.Equal(set.Counts[kv.Key], all[kv.Key].Count);
                Assert.NotEmpty(all[kv.Key]);
            }
            Assert.Equal(new[] { "Account", "Campaign", "CampaignMember", "Contact", "Lead", "Opportunity", "Task", "et4ae5__IndividualEmailResult__c" }, all.Keys.OrderBy(k => k, StringComparer.Ordinal));
            var ids = new HashSet<string>(all.Values.SelectMany(l => l).Select(r => r.Id!), StringComparer.Ordinal);
            string Prefix(CrmRecord r) => r.Id!.Substring(0, 3);
            Assert.All(all["Lead"], r => Assert.Equal("00Q", Prefix(r)));
            Assert.All(all["Contact"], r => Assert.Equal("003", Prefix(r)));
            Assert.All(all["Account"], r => Assert.Equal("001", Prefix(r)));
            Assert.All(all["Campaign"], r => Assert.Equal("701", Prefix(r)));
            Assert.All(all["CampaignMember"], r => Assert.Equal("00v", Prefix(r)));
            Assert.All(all["Opportunity"], r => Assert.Equal("006", Prefix(r)));
            Assert.All(all["Task"], r => Assert.Equal("00T", Prefix(r)));

            var personAccounts = all["Account"].Where(r => r["IsPersonAccount"] is true).ToList();
            Assert.NotEmpty(personAccounts);
            Assert.All(personAccounts, r => Assert.StartsWith("003", r.GetString("PersonContactId"), StringComparison.Ordinal));
            Assert.Contains(all["Account"], r => r["IsPersonAccount"] is false);

            Assert.All(all["Contact"], r => Assert.Contains(r.GetString("AccountId")!, ids));
            Assert.All(all["Opportunity"], r => Assert.Contains(r.GetString("AccountId")!, ids));
            Assert.All(all["CampaignMember"], r =>
            {
                Assert.Contains(r.GetString("CampaignId")!, ids);
                Assert.Contains(r.GetString("LeadId") ?? r.GetString("ContactId")!, ids);
                Assert.True(r.Has("FCRM__FCR_Response_Status__c") && r.Has("FCRM__FCR_Response_Date__c") && r.Has("FCRM__FCR_Opportunity__c"));
            });
            Assert.Contains(all["CampaignMember"], r => r.GetString("FCRM__FCR_Opportunity__c") is string o && ids.Contains(o));
            Assert.Equal(all["CampaignMember"].Count, all["CampaignMember"].Select(r => r.GetString("CampaignId") + "/" + (r.GetString("LeadId") ?? r.GetString("ContactId"))).Distinct().Count());
            Assert.All(all["Task"], r => Assert.Contains(r.GetString("WhoId")!, ids));
            Assert.All(all["et4ae5__IndividualEmailResult__c"], r => Assert.Contains(r.GetString("et4ae5__Lead_ID__c") ?? r.GetString("et4ae5__Contact_ID__c")!, ids));

            var truth = CrmDataGenerator.ReadTruth(set.TruthPath);
            Assert.All(truth, kv => Assert.Contains(kv.Key, ids));
            Assert.All(truth, kv => Assert.Contains(kv.Value, ids));
            var types = truth.GroupBy(kv => kv.Value).Select(g => g.Select(kv => kv.Key.Substring(0, 3)).Distinct().Count());
            Assert.Contains(types, n => n > 1);
        }

        [Fact]
        public void Benchmark_smoke_run_at_10k_reads_back_every_generated_lead()
        {
            var dir = Scratch();
            var file = Path.Combine(dir, "leads-10000.json");
            CrmDataGenerator.WriteLeads(file, 10_000, 42);

            Assert.Equal(10_000, ImportWorkloads.CoreImport(file, out var issues));
            Assert.Equal(0, issues);
            Assert.True(ImportWorkloads.TokenScan(file, out var objects) > 10_000 * 15);
            Assert.Equal(10_000, objects);

            var csv = Path.Combine(dir, "out.csv");
            Assert.Equal(10_000, ImportWorkloads.CoreBulkExport(file, csv));
            Assert.Equal(10_000, Read(csv, out var csvIssues).Count);
            Assert.Empty(csvIssues);

            var groups = ImportWorkloads.CoreGroupByEmail(file, out var records);
            Assert.Equal(10_000, records);
            Assert.InRange(groups, 1, 1000);
        }

        [Fact]
        public void Identity_workloads_convert_every_lead_and_merge_every_duplicate_cluster()
        {
            var dir = Scratch();
            var file = Path.Combine(dir, "leads.json");
            CrmDataGenerator.WriteLeads(file, 2000, 7);
            var state = Path.Combine(dir, "state");
            Assert.Equal(2000, IdentityWorkloads.ConvertAll(file, state));
            Assert.Equal(4000, LeadTools.Core.Keys.AlternateKeyStore.Load(Path.Combine(state, "keystore.jsonl")).Count);
            var mergeState = Path.Combine(dir, "merge-state");
            var groups = IdentityWorkloads.MergeClusters(file, mergeState, out var records, out var read);
            Assert.Equal(2000, read);
            Assert.True(groups > 0);
            Assert.True(records >= 2 * groups);
            Assert.Single(Directory.GetFiles(Path.Combine(mergeState, "journal")));
            Assert.Equal(records - groups, LeadTools.Core.Keys.AlternateKeyStore.Load(Path.Combine(mergeState, "keystore.jsonl")).Entries.Count(e => e.Deleted));
        }
        [Fact]
        public void Sync_workload_prepares_two_snapshots_with_one_percent_changed_and_syncs_them()
        {
            var dir = Scratch();
            var leads = Path.Combine(dir, "leads-4000.json");
            var note = SyncWorkloads.Prepare(leads, 4000, 5, 0.1);
            Assert.Equal("10 local edits, 10 Salesforce edits, 10 new local leads, 10 new Salesforce leads, 4 events", note);
            var (local, sf, state) = SyncWorkloads.PathsFor(leads);
            Assert.Equal(3990 + 4, Read(local, out var localIssues).Count);
            Assert.Empty(localIssues);
            Assert.Equal(3990, Read(sf, out _).Count);

            var run = Path.Combine(dir, "run");
            SyncWorkloads.CopyState(leads, run);
            var changes = SyncWorkloads.Run(leads, run, Path.Combine(run, "changes"), out var passes);
            // 10 Salesforce edits pulled, 10 new leads pushed, 10 pulled, 4 events; the 10 local edits of linked leads
            // are held back and reported (seed 003, rule L8: "If the lead already has a CRM ID, do not push it").
            Assert.Equal(34, changes);
            Assert.Equal(2, passes);
            Assert.True(File.Exists(Path.Combine(run, "changes", "Lead-insert.csv")));
            // Saved state, synced again: nothing.
            Assert.Equal(0, SyncWorkloads.Run(leads, run, Path.Combine(run, "again"), out _));
        }
    }
}
