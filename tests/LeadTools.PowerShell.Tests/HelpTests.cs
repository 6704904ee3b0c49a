using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace LeadTools.PowerShell.Tests
{
    /// <summary>
    /// Get-Help for every exported cmdlet: a written synopsis and description, every parameter described as the
    /// cmdlet declares it, one syntax block per parameter set, inputs, outputs and examples that run.
    /// The help is module/en-US/LeadTools.PowerShell.dll-Help.xml (MAML) and module/en-US/about_LeadTools.help.txt;
    /// PowerShell finds them under en-US even when the UI culture is invariant, as in this test host.
    /// </summary>
    public sealed class HelpTests
    {
        private const string ModuleName = "LeadTools";
        private const int MinimumExamples = 2;

        /// <summary>The cmdlets LeadTools.psd1 exports, one test case each.</summary>
        public static IEnumerable<object[]> ExportedCmdlets =>
            ManifestCmdlets(Path.Combine(Paths.RepoRoot, "LeadTools.psd1")).Select(name => new object[] { name });

        [Fact]
        public void Exported_commands_are_the_manifest_cmdlets()
        {
            var result = TestHost.Run(@"
                $module = Get-Module LeadTools
                [pscustomobject]@{
                    Commands = @(Get-Command -Module LeadTools | ForEach-Object Name)
                    Exported = @($module.ExportedCmdlets.Keys)
                    Manifest = [System.IO.Path]::Combine($module.ModuleBase, 'LeadTools.psd1')
                }");
            AssertRanClean(result);
            var data = Single(result);
            var commands = Strings(Prop(data, "Commands"));
            var exported = Strings(Prop(data, "Exported"));
            var builtManifest = ManifestCmdlets(Text(Prop(data, "Manifest")));
            var sourceManifest = ManifestCmdlets(Path.Combine(Paths.RepoRoot, "LeadTools.psd1"));

            Assert.NotEmpty(commands);
            Assert.Equal(Sorted(builtManifest), Sorted(commands));
            Assert.Equal(Sorted(builtManifest), Sorted(exported));
            Assert.Equal(Sorted(sourceManifest), Sorted(builtManifest));
        }

        [Fact]
        public void Help_files_are_laid_out_with_the_module()
        {
            var result = TestHost.Run("(Get-Module LeadTools).ModuleBase");
            AssertRanClean(result);
            var moduleBase = Text(Single(result));
            Assert.True(File.Exists(Path.Combine(moduleBase, "en-US", "LeadTools.PowerShell.dll-Help.xml")), "en-US/LeadTools.PowerShell.dll-Help.xml is not in " + moduleBase);
            Assert.True(File.Exists(Path.Combine(moduleBase, "en-US", "about_LeadTools.help.txt")), "en-US/about_LeadTools.help.txt is not in " + moduleBase);
        }

        [Fact]
        public void Every_exported_command_has_written_help()
        {
            // The same checks as Help_is_complete, over what Get-Command lists (in case the manifest and the module disagree).
            var names = Strings(Prop(Single(TestHost.Run("[pscustomobject]@{ Names = @(Get-Command -Module LeadTools | ForEach-Object Name) }")), "Names"));
            Assert.NotEmpty(names);
            var problems = names.SelectMany(name => HelpProblems(ReadHelp(name), name)).ToList();
            Assert.True(problems.Count == 0, "Help problems:\n" + string.Join("\n", problems));
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Help_is_complete(string name)
        {
            var problems = HelpProblems(ReadHelp(name), name);
            Assert.True(problems.Count == 0, $"Help of {name}:\n" + string.Join("\n", problems));
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Help_parameters_match_the_cmdlet(string name)
        {
            var help = ReadHelp(name);
            var problems = new List<string>();
            var sets = Items(Prop(help, "Sets")).ToList();
            var actual = new Dictionary<string, List<PSObject>>(StringComparer.OrdinalIgnoreCase);
            foreach (var set in sets)
            {
                foreach (var p in Items(Prop(set, "Parameters")))
                {
                    var pName = Text(Prop(p, "Name"));
                    if (!actual.TryGetValue(pName, out var list)) actual[pName] = list = new List<PSObject>();
                    list.Add(p);
                }
            }
            var documented = Items(Prop(help, "Parameters")).ToDictionary(p => Text(Prop(p, "Name")), StringComparer.OrdinalIgnoreCase);

            foreach (var pName in documented.Keys.Where(n => !actual.ContainsKey(n)))
            {
                problems.Add($"-{pName} is documented but {name} has no such parameter.");
            }
            foreach (var kv in actual)
            {
                if (!documented.TryGetValue(kv.Key, out var doc))
                {
                    problems.Add($"-{kv.Key} is not in the PARAMETERS section.");
                    continue;
                }
                var inSets = kv.Value;
                var any = inSets[0];

                var helpType = Text(Prop(doc, "Type"));
                var fullType = Text(Prop(any, "Type"));
                var shortType = Text(Prop(any, "ShortType"));
                // A Nullable<T> parameter ([DateTime?]) is documented as the T a user passes (System.DateTime).
                var underlyingType = Text(Prop(any, "UnderlyingType"));
                var underlyingOk = underlyingType.Length > 0 && string.Equals(helpType, underlyingType, StringComparison.OrdinalIgnoreCase);
                if (!underlyingOk && !string.Equals(helpType, fullType, StringComparison.OrdinalIgnoreCase) && !string.Equals(helpType, shortType, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"-{kv.Key}: type is {fullType}, help says '{helpType}'.");
                }

                var mandatory = inSets.Select(p => Bool(Prop(p, "Mandatory"))).Distinct().ToList();
                var required = Text(Prop(doc, "Required"));
                if (mandatory.Count == 1 && !string.Equals(required, mandatory[0] ? "true" : "false", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"-{kv.Key}: Required? should be {mandatory[0].ToString().ToLowerInvariant()}, help says '{required}'.");
                }

                var positions = inSets.Select(p => LanguagePrimitives.ConvertTo<int>(Prop(p, "Position"))).Select(p => p == int.MinValue ? "named" : p.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
                var position = Text(Prop(doc, "Position"));
                if (!positions.Contains(position, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"-{kv.Key}: Position? should be {string.Join(" or ", positions)}, help says '{position}'.");
                }

                var byValue = inSets.Any(p => Bool(Prop(p, "ByValue")));
                var byName = inSets.Any(p => Bool(Prop(p, "ByPropertyName")));
                var pipeline = Text(Prop(doc, "PipelineInput"));
                var pipelineOk = byValue || byName
                    ? pipeline.StartsWith("true", StringComparison.OrdinalIgnoreCase)
                      && byValue == (pipeline.IndexOf("ByValue", StringComparison.OrdinalIgnoreCase) >= 0)
                      && byName == (pipeline.IndexOf("ByPropertyName", StringComparison.OrdinalIgnoreCase) >= 0)
                    : pipeline.StartsWith("false", StringComparison.OrdinalIgnoreCase);
                if (!pipelineOk)
                {
                    var expected = byValue || byName ? $"True ({string.Join(", ", new[] { byValue ? "ByValue" : null, byName ? "ByPropertyName" : null }.Where(s => s != null))})" : "False";
                    problems.Add($"-{kv.Key}: Accept pipeline input? should be {expected}, help says '{pipeline}'.");
                }

                var globbing = Text(Prop(doc, "Globbing"));
                if (!string.Equals(globbing, "true", StringComparison.OrdinalIgnoreCase) && !string.Equals(globbing, "false", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"-{kv.Key}: Accept wildcard characters? must be true or false, help says '{globbing}'.");
                }

                var helpAliases = Text(Prop(doc, "Aliases"));
                foreach (var alias in Strings(Prop(any, "Aliases")))
                {
                    if (helpAliases.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries).All(a => !string.Equals(a, alias, StringComparison.OrdinalIgnoreCase)))
                    {
                        problems.Add($"-{kv.Key}: alias {alias} is not in the help's Aliases ('{helpAliases}').");
                    }
                }
            }

            // One SYNTAX block per parameter set, with exactly that set's parameters.
            var syntax = Items(Prop(help, "Syntax")).Select(s => new HashSet<string>(Strings(Prop(s, "Parameters")), StringComparer.OrdinalIgnoreCase)).ToList();
            if (syntax.Count != sets.Count)
            {
                problems.Add($"{name} has {sets.Count} parameter set(s) but the help shows {syntax.Count} syntax block(s).");
            }
            foreach (var set in sets)
            {
                var names = new HashSet<string>(Items(Prop(set, "Parameters")).Select(p => Text(Prop(p, "Name"))), StringComparer.OrdinalIgnoreCase);
                if (!syntax.Any(s => s.SetEquals(names)))
                {
                    problems.Add($"No syntax block matches parameter set '{Prop(set, "Name")}': {string.Join(", ", names.OrderBy(n => n, StringComparer.Ordinal))}.");
                }
            }

            Assert.True(problems.Count == 0, $"Help of {name}:\n" + string.Join("\n", problems));
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void Help_examples_run(string name)
        {
            var help = ReadHelp(name);
            var available = new HashSet<string>(Strings(Prop(Single(TestHost.Run("[pscustomobject]@{ Names = @(Get-Command -CommandType Cmdlet, Function, Alias | ForEach-Object Name) }")), "Names")), StringComparer.OrdinalIgnoreCase);
            var problems = new List<string>();
            var ran = 0;
            foreach (var example in Items(Prop(help, "Examples")))
            {
                var title = Text(Prop(example, "Title")).Trim('-', ' ');
                var code = Text(Prop(example, "Code"));
                var ast = Parser.ParseInput(code, out _, out var parseErrors);
                if (parseErrors.Length > 0)
                {
                    problems.Add($"{title}: the code does not parse: {parseErrors[0].Message}");
                    continue;
                }
                var commands = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().Select(c => c.GetCommandName()).Where(c => c != null).ToList();
                if (commands.Any(c => !available.Contains(c!)))
                {
                    // Uses a cmdlet this host lacks (Get-ChildItem, Group-Object, Select-Object...): parsed but not run here.
                    continue;
                }
                var folder = SampleFiles.Create();
                try
                {
                    var result = TestHost.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($SampleFolder)\n" + code,
                        new Dictionary<string, object?> { ["SampleFolder"] = folder });
                    ran++;
                    if (result.Exception != null)
                    {
                        problems.Add($"{title}: threw {result.Exception.Message}\n    {code.Replace("\n", "\n    ")}");
                    }
                    foreach (var error in result.Errors)
                    {
                        problems.Add($"{title}: error {error.FullyQualifiedErrorId}: {error.Exception.Message}\n    {code.Replace("\n", "\n    ")}");
                    }
                }
                finally
                {
                    SampleFiles.Delete(folder);
                }
            }
            Assert.True(problems.Count == 0, $"Examples of {name}:\n" + string.Join("\n", problems));
            Assert.True(ran > 0, $"None of the examples of {name} runs with only LeadTools and the engine's core cmdlets; give at least one that does.");
        }

        [Fact]
        public void About_topic_explains_the_module()
        {
            var result = TestHost.Run(@"
                [pscustomobject]@{
                    Text = (@(Get-Help about_LeadTools) -join ""`n"")
                    Kinds = [enum]::GetNames([LeadTools.Core.Import.RecordIssueKind])
                    Commands = @(Get-Command -Module LeadTools | ForEach-Object Name)
                }");
            AssertRanClean(result);
            var data = Single(result);
            var text = Text(Prop(data, "Text"));
            Assert.False(string.IsNullOrWhiteSpace(text), "Get-Help about_LeadTools returned nothing.");
            foreach (var heading in new[] { "TOPIC", "about_LeadTools", "SHORT DESCRIPTION", "LONG DESCRIPTION", "SEE ALSO" })
            {
                Assert.Contains(heading, text, StringComparison.Ordinal);
            }
            Assert.Contains("LeadTools.CrmRecord#", text, StringComparison.Ordinal);
            var missing = Strings(Prop(data, "Kinds")).Where(kind => text.IndexOf(kind, StringComparison.Ordinal) < 0).ToList();
            Assert.True(missing.Count == 0, "about_LeadTools does not explain the ErrorIds " + string.Join(", ", missing));
            var unmentioned = Strings(Prop(data, "Commands")).Where(c => text.IndexOf(c, StringComparison.OrdinalIgnoreCase) < 0).ToList();
            Assert.True(unmentioned.Count == 0, "about_LeadTools does not mention " + string.Join(", ", unmentioned));
        }

        // ---------------------------------------------------------------------------------------------- checks

        private static List<string> HelpProblems(PSObject help, string name)
        {
            var problems = new List<string>();
            var typeNames = Strings(Prop(help, "TypeNames"));
            if (!typeNames.Contains("MamlCommandHelpInfo"))
            {
                problems.Add($"{name}: Get-Help found no help file (help type {string.Join(", ", typeNames)}); it only shows what PowerShell generates.");
            }
            var synopsis = Text(Prop(help, "Synopsis")).Trim();
            if (synopsis.Length == 0)
            {
                problems.Add($"{name}: no synopsis.");
            }
            else if (synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase) || synopsis.IndexOf("<CommonParameters>", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                problems.Add($"{name}: the synopsis is the generated syntax, not a written one: {synopsis}");
            }
            if (Text(Prop(help, "Description")).Trim().Length == 0)
            {
                problems.Add($"{name}: no description.");
            }
            foreach (var parameter in Items(Prop(help, "CommandParameters")).Select(p => p.BaseObject as string ?? p.ToString()))
            {
                var doc = Items(Prop(help, "Parameters")).FirstOrDefault(p => string.Equals(Text(Prop(p, "Name")), parameter, StringComparison.OrdinalIgnoreCase));
                if (doc == null || Text(Prop(doc, "Description")).Trim().Length == 0)
                {
                    problems.Add($"{name}: -{parameter} has no description.");
                }
            }
            var examples = Items(Prop(help, "Examples")).ToList();
            if (examples.Count < MinimumExamples)
            {
                problems.Add($"{name}: {examples.Count} example(s); at least {MinimumExamples} are needed.");
            }
            foreach (var example in examples)
            {
                var title = Text(Prop(example, "Title")).Trim('-', ' ');
                var code = Text(Prop(example, "Code"));
                if (code.Trim().Length == 0) problems.Add($"{name}: example '{title}' has no code.");
                else if (code.IndexOf(name, StringComparison.OrdinalIgnoreCase) < 0) problems.Add($"{name}: example '{title}' does not use {name}.");
                if (Text(Prop(example, "Remarks")).Trim().Length == 0) problems.Add($"{name}: example '{title}' does not say what it does.");
            }
            if (Text(Prop(help, "Inputs")).Trim().Length == 0) problems.Add($"{name}: no INPUTS.");
            if (Text(Prop(help, "Outputs")).Trim().Length == 0) problems.Add($"{name}: no OUTPUTS.");
            return problems;
        }

        /// <summary>Get-Help's view of a command, flattened, with the command's own parameter sets beside it.</summary>
        private static PSObject ReadHelp(string name)
        {
            var result = TestHost.Run(ReadHelpScript, new Dictionary<string, object?> { ["Name"] = name });
            AssertRanClean(result);
            return Single(result);
        }

        private const string ReadHelpScript = @"
            function Join-HelpText($value) {
                (@($value) | Where-Object { $null -ne $_ } | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join ""`n""
            }
            $command = Get-Command -Name $Name -Module LeadTools -ErrorAction Stop
            $help = Get-Help -Name $Name -Full
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters
            $sets = foreach ($set in $command.ParameterSets) {
                [pscustomobject]@{
                    Name = $set.Name
                    Parameters = @(foreach ($p in $set.Parameters) {
                        if ($common -notcontains $p.Name) {
                            [pscustomobject]@{
                                Name = $p.Name
                                Mandatory = $p.IsMandatory
                                Position = $p.Position
                                ByValue = $p.ValueFromPipeline
                                ByPropertyName = $p.ValueFromPipelineByPropertyName
                                Type = $p.ParameterType.FullName
                                ShortType = $p.ParameterType.Name
                                UnderlyingType = [string]([System.Nullable]::GetUnderlyingType($p.ParameterType)).FullName
                                Aliases = @($p.Aliases)
                            }
                        }
                    })
                }
            }
            [pscustomobject]@{
                TypeNames = @($help.PSObject.TypeNames)
                Synopsis = [string]$help.Synopsis
                Description = Join-HelpText $help.description
                CommandParameters = @($command.Parameters.Keys | Where-Object { $common -notcontains $_ })
                Parameters = @(foreach ($p in @($help.parameters.parameter)) {
                    if ($null -ne $p) {
                        [pscustomobject]@{
                            Name = [string]$p.name
                            Description = Join-HelpText $p.description
                            Required = [string]$p.required
                            Position = [string]$p.position
                            PipelineInput = [string]$p.pipelineInput
                            Globbing = [string]$p.globbing
                            Type = [string]$p.type.name
                            Aliases = [string]$p.aliases
                        }
                    }
                })
                Syntax = @(foreach ($s in @($help.syntax.syntaxItem)) {
                    if ($null -ne $s) { [pscustomobject]@{ Parameters = @($s.parameter | ForEach-Object { [string]$_.name }) } }
                })
                Examples = @(foreach ($e in @($help.examples.example)) {
                    if ($null -ne $e) {
                        [pscustomobject]@{ Title = [string]$e.title; Code = [string]$e.code; Remarks = Join-HelpText $e.remarks }
                    }
                })
                Inputs = (@($help.inputTypes.inputType) | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_.type.name }) -join ', '
                Outputs = (@($help.returnValues.returnValue) | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_.type.name }) -join ', '
                Sets = @($sets)
            }";

        // ---------------------------------------------------------------------------------------------- helpers

        /// <summary>CmdletsToExport of a module manifest, read with the PowerShell parser (the host has no Import-PowerShellDataFile).</summary>
        internal static IReadOnlyList<string> ManifestCmdlets(string manifestPath)
        {
            var ast = Parser.ParseFile(manifestPath, out _, out var errors);
            if (errors.Length > 0) throw new InvalidOperationException($"{manifestPath} does not parse: {errors[0].Message}");
            var table = (HashtableAst?)ast.Find(a => a is HashtableAst, false) ?? throw new InvalidOperationException(manifestPath + " holds no hashtable.");
            foreach (var (key, value) in table.KeyValuePairs)
            {
                if (!(key is StringConstantExpressionAst k) || !string.Equals(k.Value, "CmdletsToExport", StringComparison.OrdinalIgnoreCase)) continue;
                var expression = (value as PipelineAst)?.GetPureExpression() ?? throw new InvalidOperationException("CmdletsToExport is not a plain value.");
                var evaluated = expression.SafeGetValue();
                return evaluated is IEnumerable list && !(evaluated is string)
                    ? list.Cast<object>().Select(o => o.ToString()!).ToList()
                    : new List<string> { evaluated.ToString()! };
            }
            throw new InvalidOperationException(manifestPath + " has no CmdletsToExport.");
        }

        private static void AssertRanClean(ScriptResult result)
        {
            Assert.True(result.Exception == null, "The script threw: " + result.Exception);
            Assert.True(result.Errors.Count == 0, "The script wrote errors: " + string.Join("; ", result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
        }

        private static PSObject Single(ScriptResult result)
        {
            Assert.True(result.Exception == null, "The script threw: " + result.Exception);
            return Assert.Single(result.Output);
        }

        private static object? Prop(PSObject o, string name) => o.Properties[name]?.Value;

        private static bool Bool(object? value) => LanguagePrimitives.ConvertTo<bool>(value);

        private static IEnumerable<PSObject> Items(object? value)
        {
            if (value == null) yield break;
            var baseObject = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (baseObject is string || !(baseObject is IEnumerable items))
            {
                yield return PSObject.AsPSObject(value);
                yield break;
            }
            foreach (var item in items)
            {
                if (item != null) yield return PSObject.AsPSObject(item);
            }
        }

        private static List<string> Strings(object? value) => Items(value).Select(i => i.BaseObject?.ToString() ?? string.Empty).ToList();

        private static string Text(object? value) => value switch
        {
            null => string.Empty,
            PSObject pso => pso.BaseObject?.ToString() ?? string.Empty,
            _ => value.ToString() ?? string.Empty,
        };

        private static List<string> Sorted(IEnumerable<string> names) => names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>The sample exports the help's examples refer to, in a fresh folder per example.</summary>
        private static class SampleFiles
        {
            public static string Create()
            {
                var root = Path.Combine(Path.GetTempPath(), "LeadToolsHelp-" + Guid.NewGuid().ToString("N").Substring(0, 12));
                foreach (var folder in new[] { "exports", "tree", "out", Path.Combine("out", "seed"), "engagement", "plans", "requests", "config", "state", "results" })
                {
                    Directory.CreateDirectory(Path.Combine(root, folder));
                }
                void Write(string relative, string text) => File.WriteAllText(Path.Combine(root, relative), text.Replace("\r\n", "\n"), new UTF8Encoding(false));

                // Data Loader export of leads: #N/A and empty cells, a date-time with an offset, a formula-like company.
                Write("exports/Lead.csv",
@"Id,FirstName,LastName,Email,Company,Status,LeadSource,Phone,CreatedDate
00Q5e00000AbCdEEAV,Ada,Lovelace,ada@example.com,Analytical Engines Ltd,Open - Not Contacted,Web,+44 20 7946 0018,2024-03-01T09:30:00.000+0000
00Q5e00000AbCdFEAV,Grace,Hopper,grace.hopper@navy.example.org,COBOL Works,Working - Contacted,Trade Show,#N/A,2024-03-02T14:05:00.000+0000
00Q5e00000AbCdGEAV,Linus,Mallory,linus@example.com,""=HYPERLINK(""""http://evil.example/x"""")"",Open - Not Contacted,,,2024-03-03T08:00:00.000+0000
");
                // The body of a REST query on Lead.
                Write("exports/Leads.json",
@"{
  ""totalSize"": 2,
  ""done"": true,
  ""records"": [
    { ""attributes"": { ""type"": ""Lead"", ""url"": ""/services/data/v60.0/sobjects/Lead/00Q5e00000AbCdEEAV"" },
      ""Id"": ""00Q5e00000AbCdEEAV"", ""FirstName"": ""Ada"", ""LastName"": ""Lovelace"", ""Email"": ""ada@example.com"",
      ""Company"": ""Analytical Engines Ltd"", ""Status"": ""Open - Not Contacted"", ""IsConverted"": false, ""Phone"": null },
    { ""attributes"": { ""type"": ""Lead"", ""url"": ""/services/data/v60.0/sobjects/Lead/00Q5e00000AbCdFEAV"" },
      ""Id"": ""00Q5e00000AbCdFEAV"", ""FirstName"": ""Grace"", ""LastName"": ""Hopper"", ""Email"": ""grace.hopper@navy.example.org"",
      ""Company"": ""COBOL Works"", ""Status"": ""Working - Contacted"", ""IsConverted"": false, ""Phone"": ""+1 (408) 555-0100"" }
  ]
}
");
                Write("exports/dataverse-leads.json",
@"{
  ""@odata.context"": ""https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#leads(leadid,firstname,lastname,emailaddress1,companyname)"",
  ""value"": [
    { ""@odata.etag"": ""W/\""1234567\"""", ""leadid"": ""9f3c1a2e-5b7d-ef11-a671-000d3a5a1b2c"", ""firstname"": ""Ada"", ""lastname"": ""Lovelace"", ""emailaddress1"": ""ada@example.com"", ""companyname"": ""Analytical Engines Ltd"" },
    { ""@odata.etag"": ""W/\""1234568\"""", ""leadid"": ""a03c1a2e-5b7d-ef11-a671-000d3a5a1b2c"", ""firstname"": ""Grace"", ""lastname"": ""Hopper"", ""emailaddress1"": ""grace.hopper@navy.example.org"", ""companyname"": ""COBOL Works"" }
  ]
}
");
                Write("exports/ac-contacts.json",
@"{
  ""contacts"": [
    { ""id"": ""101"", ""email"": ""ada@example.com"", ""firstName"": ""Ada"", ""lastName"": ""Lovelace"", ""phone"": """" },
    { ""id"": ""102"", ""email"": ""grace.hopper@navy.example.org"", ""firstName"": ""Grace"", ""lastName"": ""Hopper"", ""phone"": """" }
  ],
  ""contactTags"": [ { ""id"": ""9001"", ""contact"": ""101"", ""tag"": ""5"" } ],
  ""tags"": [ { ""id"": ""5"", ""tag"": ""webinar-2024"", ""tagType"": ""contact"" } ],
  ""meta"": { ""total"": ""2"" }
}
");
                // A large REST export in real life; three contacts here.
                Write("exports/big.json",
@"{""totalSize"":3,""done"":true,""records"":[
{""attributes"":{""type"":""Contact""},""Id"":""0035e00000QrStAAAV"",""FirstName"":""Mei"",""LastName"":""Tanaka"",""Email"":""mei.tanaka@example.com""},
{""attributes"":{""type"":""Contact""},""Id"":""0035e00000QrSuAAAV"",""FirstName"":""Omar"",""LastName"":""Haddad"",""Email"":""omar.haddad@example.com""},
{""attributes"":{""type"":""Contact""},""Id"":""0035e00000QrSvAAAV"",""FirstName"":""Ines"",""LastName"":""Costa"",""Email"":""ines.costa@example.com""}]}
");
                Write("exports/Account.csv",
@"Id,Name,Industry,Website
0015e00000XyZaAAAV,Example Corp,Technology,https://www.example.com
0015e00000XyZbAAAV,Contoso,Banking,https://contoso.example
");
                Write("exports/Contact.csv",
@"Id,AccountId,FirstName,LastName,Email
0035e00000PqRaAAAV,0015e00000XyZaAAAV,An,Nguyen,an.nguyen@example.com
0035e00000PqRbAAAV,0015e00000XyZbAAAV,Chidi,Okafor,c.okafor@contoso.example
");
                // sf data export tree output: contacts nested under their account, opportunities in a file of their own.
                Write("tree/Accounts.json",
@"{
  ""records"": [
    {
      ""attributes"": { ""type"": ""Account"", ""referenceId"": ""SampleAccountRef"" },
      ""name"": ""SampleAccount"", ""phone"": ""1234567890"", ""website"": ""www.salesforce.com"", ""industry"": ""Banking"",
      ""Contacts"": { ""records"": [
        { ""attributes"": { ""type"": ""Contact"", ""referenceId"": ""PresidentSmithRef"" }, ""lastname"": ""Smith"", ""title"": ""President"" },
        { ""attributes"": { ""type"": ""Contact"", ""referenceId"": ""VPEvansRef"" }, ""lastname"": ""Evans"", ""title"": ""Vice President"" }
      ] }
    },
    { ""attributes"": { ""type"": ""Account"", ""referenceId"": ""SampleAcct2Ref"" }, ""name"": ""SampleAccount2"", ""industry"": ""Banking"" }
  ]
}
");
                Write("tree/Opportunities.json",
@"{ ""records"": [
  { ""attributes"": { ""type"": ""Opportunity"", ""referenceId"": ""BigDealRef"" }, ""Name"": ""Big Deal"", ""StageName"": ""Prospecting"", ""CloseDate"": ""2025-06-30"", ""AccountId"": ""@SampleAccountRef"" }
] }
");
                // Saved by Excel on Windows: windows-1252, not UTF-8.
                File.WriteAllBytes(Path.Combine(root, "exports", "Lead_Data.csv"),
                    Encoding.Latin1.GetBytes("Id,FirstName,LastName,Email,Company\r\n00Q5e00000AbCdHEAV,Ren\u00e9e,Fran\u00e7ois,renee@example.fr,Soci\u00e9t\u00e9 G\u00e9n\u00e9rale\r\n"));

                // Leads to convert: web-form leads with custom fields, and a conversion plan (a lead export with the
                // target ContactId / AccountId added by whoever matched the leads to contacts of Contact.csv).
                Write("exports/web-leads.jsonl",
@"{""Id"":""00Q5e00000Tw1dAEAZ"",""FirstName"":""Sofia"",""LastName"":""Rossi"",""Email"":""sofia.rossi@example.it"",""Company"":""Rossi Logistica"",""Industry"":""Transportation"",""LeadSource"":""Web"",""Description"":""Asked for a demo on the pricing page"",""Lead_Score__c"":87,""Product_Interest__c"":""Fleet Tracking""}
{""Id"":""00Q5e00000Tw2eAEAZ"",""FirstName"":""Jonas"",""LastName"":""Berg"",""Email"":""jonas.berg@example.se"",""Company"":""Berg Bygg AB"",""Industry"":""Construction"",""LeadSource"":""Web"",""Lead_Score__c"":42,""Product_Interest__c"":""Field Service""}
");
                Write("plans/conversion-plan.csv",
@"Id,FirstName,LastName,Email,Company,Phone,Title,LeadSource,HasOptedOutOfEmail,ContactId,AccountId
00Q5e00000Rt8ZAEAZ,An,Nguyen,an.nguyen@example.com,Example Corp,+1 (415) 555-0142,Head of Data,Webinar,true,0035e00000PqRaAAAV,0015e00000XyZaAAAV
00Q5e00000Rt9aAEAZ,Chidi,Okafor,c.okafor@contoso.example,Contoso,,CFO,Partner Referral,false,0035e00000PqRbAAAV,
00Q5e00000Ru1bAEAZ,Mei,Tanaka,mei.tanaka@example.com,Tanaka Design,+81 3 5555 0100,Owner,Web,false,,
");
                // A field mapping for Convert-LeadRecord -MappingPath.
                Write("config/lead-mapping.json",
@"{
  ""schemaVersion"": 1,
  ""Contact"": { ""Lead_Score__c"": ""Lead_Score__c"", ""Description"": null },
  ""Account"": { ""Industry"": null },
  ""Opportunity"": { ""Lead_Score__c"": ""Opportunity_Score__c"", ""Product_Interest__c"": ""Product_Interest__c"" }
}
");
                // The alternate key store of ./state (as Save writes it). Contact 0035e00000PqRaAAAV (An Nguyen): web lead
                // Kd7X merged into lead Kd9Q, Kd9Q converted to contact PqRc, PqRc merged into PqRa. Contact PqRb (Chidi
                // Okafor): lead Lm2T converted into it. Lead Np4W: never converted.
                Write("state/keystore.jsonl",
@"{""schema"":""leadtools.keystore"",""version"":1,""keys"":7}
{""id"":""0035e00000PqRaAAAV"",""type"":""Contact"",""how"":""Created"",""at"":""2021-11-02T16:20:00.000Z""}
{""id"":""0035e00000PqRbAAAV"",""type"":""Contact"",""how"":""Created"",""at"":""2022-04-12T09:00:00.000Z""}
{""id"":""00Q5e00000Kd7XAEAZ"",""type"":""Lead"",""parent"":""00Q5e00000Kd9QAEAZ"",""how"":""Merged"",""at"":""2023-06-01T10:00:00.000Z"",""deleted"":true}
{""id"":""00Q5e00000Kd9QAEAZ"",""type"":""Lead"",""parent"":""0035e00000PqRcAAAV"",""how"":""Converted"",""at"":""2023-09-15T11:30:00.000Z""}
{""id"":""0035e00000PqRcAAAV"",""type"":""Contact"",""parent"":""0035e00000PqRaAAAV"",""how"":""Merged"",""at"":""2024-01-20T15:05:00.000Z"",""from"":""00Q5e00000Kd9QAEAZ"",""deleted"":true}
{""id"":""00Q5e00000Lm2TAEAZ"",""type"":""Lead"",""parent"":""0035e00000PqRbAAAV"",""how"":""Converted"",""at"":""2024-02-20T12:00:00.000Z""}
{""id"":""00Q5e00000Np4WAEAZ"",""type"":""Lead"",""how"":""Created"",""at"":""2024-03-05T10:10:00.000Z""}
");
                // Engagement history filed under the people's old and current ids (a 15-character id among them).
                Write("engagement/CampaignMember.csv",
@"Id,CampaignId,LeadId,ContactId,Status,CreatedDate
00v5e00000Hx01AAAC,7015e00000Wb1AAAAV,00Q5e00000Kd7XAEAZ,,Responded,2023-02-10T08:15:00.000+0000
00v5e00000Hx02AAAC,7015e00000Wb2AAAAV,00Q5e00000Kd9QAEAZ,0035e00000PqRcAAAV,Sent,2023-05-03T13:40:00.000+0000
00v5e00000Hx03AAAC,7015e00000Wb3AAAAV,,0035e00000PqRaAAAV,Responded,2024-03-12T17:02:00.000+0000
00v5e00000Hx04AAAC,7015e00000Wb3AAAAV,00Q5e00000Lm2TAEAZ,,Sent,2024-02-01T07:45:00.000+0000
00v5e00000Hx05AAAC,7015e00000Wb3AAAAV,00Q5e00000AbCdEEAV,,Responded,2024-03-01T09:30:00.000+0000
");
                Write("engagement/Task.csv",
@"Id,WhoId,Subject,ActivityDate,Status
00T5e00000Tk01AAAC,00Q5e00000Kd9QAEAZ,Call back about pricing,2023-05-10,Completed
00T5e00000Tk02AAAC,0035e00000PqRaAAAV,Send renewal contract,2024-02-05,Completed
00T5e00000Tk03AAAC,00Q5e00000AbCdEEAV,Intro call,2024-03-04,Not Started
00T5e00000Tk04AAAC,0035e00000PqRbAAAV,Quarterly business review,2024-05-14,Completed
");
                Write("engagement/et4ae5__IndividualEmailResult__c.csv",
@"Id,Name,et4ae5__Lead_ID__c,et4ae5__Contact_ID__c,et4ae5__DateSent__c,et4ae5__Opened__c
a0B5e00000Ie01AAAC,Spring webinar invitation,00Q5e00000Kd7XAEAZ,,2023-03-01T10:00:00.000+0000,true
a0B5e00000Ie02AAAC,Product update October,,0035e00000PqRcA,2023-10-02T10:00:00.000+0000,false
a0B5e00000Ie03AAAC,Renewal reminder,,0035e00000PqRaAAAV,2024-04-01T10:00:00.000+0000,true
");
                // Leads with duplicates for Find-CrmDuplicate / Test-CrmMatch: Robert/Bob Smith (nickname, email case),
                // Jonathan/J Meyer (initial, phone formats), and Ada on her own; and an email-only strategy file.
                Write("exports/duplicate-leads.csv",
@"Id,FirstName,LastName,Email,Company,Phone,Title,CreatedDate
00Q5e00000Dp01AAAC,Robert,Smith,bob.smith@example.com,Acme Inc,+1 415 555 0101,CTO,2024-01-05T10:00:00.000+0000
00Q5e00000Dp02AAAC,Bob,Smith,Bob.Smith@Example.com,ACME,,,2024-02-01T10:00:00.000+0000
00Q5e00000Dp03AAAC,Jonathan,Meyer,,Globex GmbH,(415) 555-0199,Buyer,2024-01-20T10:00:00.000+0000
00Q5e00000Dp04AAAC,J,Meyer,,Globex,415.555.0199,,2024-03-01T10:00:00.000+0000
00Q5e00000Dp05AAAC,Ada,Lovelace,ada@example.com,Analytical Engines Ltd,,,2024-03-01T09:30:00.000+0000
");
                Write("config/email-strategy.json",
@"{
  ""schemaVersion"": 1,
  ""name"": ""EmailOrNamePhone"",
  ""gmailRules"": true,
  ""rules"": [
    { ""name"": ""Email"", ""conditions"": [ { ""field"": ""Email"", ""method"": ""Exact"" } ] },
    { ""name"": ""Name+Phone"", ""allowTransposedNames"": true, ""conditions"": [
      { ""field"": ""FirstName"", ""method"": ""FuzzyFirstName"", ""threshold"": 85 },
      { ""field"": ""LastName"", ""method"": ""JaroWinkler"", ""threshold"": 90 },
      { ""field"": ""Phone"", ""method"": ""SameLastCharacters"", ""characters"": 7 } ] }
  ]
}
");
                // A funnel export (as tests/pester/data/funnel-export.json): four leads and a buyer contact, their campaign members
                // with Full Circle response fields, and the contact's open opportunity. Lead ...002 has two active responses,
                // ...003 an active status without a response.
                Write("exports/funnel-export.json",
@"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000001AAA"", ""LastName"": ""Active"", ""Status"": ""Working"", ""OwnerId"": ""005000000000001AAA"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000002AAA"", ""LastName"": ""Twice"", ""Status"": ""Working"", ""OwnerId"": ""005000000000001AAA"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000003AAA"", ""LastName"": ""Silent"", ""Status"": ""Marketing Qualified"", ""OwnerId"": ""005000000000001AAA"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q000000000004AAA"", ""LastName"": ""Asleep"", ""Status"": ""Nurture"", ""OwnerId"": ""005000000000001AAA"" },
  { ""attributes"": { ""type"": ""Contact"" }, ""Id"": ""003000000000001AAA"", ""LastName"": ""Buyer"", ""Status"": ""Active Opportunity"", ""OwnerId"": ""005000000000001AAA"" },
  { ""attributes"": { ""type"": ""CampaignMember"" }, ""Id"": ""00v000000000001AAA"", ""CampaignId"": ""701000000000001AAA"", ""LeadId"": ""00Q000000000001AAA"", ""CreatedDate"": ""2026-01-01T00:00:00.000Z"", ""FCRM__FCR_Response_Status__c"": ""Working"", ""FCRM__FCR_Response_Date__c"": ""2026-01-01T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""CampaignMember"" }, ""Id"": ""00v000000000002AAA"", ""CampaignId"": ""701000000000001AAA"", ""LeadId"": ""00Q000000000002AAA"", ""CreatedDate"": ""2026-02-01T00:00:00.000Z"", ""FCRM__FCR_Response_Status__c"": ""Working"", ""FCRM__FCR_Response_Date__c"": ""2026-02-01T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""CampaignMember"" }, ""Id"": ""00v000000000003AAA"", ""CampaignId"": ""701000000000002AAA"", ""LeadId"": ""00Q000000000002AAA"", ""CreatedDate"": ""2026-03-01T00:00:00.000Z"", ""FCRM__FCR_Response_Status__c"": ""Working"", ""FCRM__FCR_Response_Date__c"": ""2026-03-01T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""CampaignMember"" }, ""Id"": ""00v000000000004AAA"", ""CampaignId"": ""701000000000002AAA"", ""ContactId"": ""003000000000001AAA"", ""CreatedDate"": ""2025-06-01T00:00:00.000Z"", ""FCRM__FCR_Response_Status__c"": ""Working"", ""FCRM__FCR_Response_Date__c"": ""2025-06-01T00:00:00.000Z"", ""FCRM__FCR_Opportunity__c"": ""006000000000001AAA"" },
  { ""attributes"": { ""type"": ""Opportunity"" }, ""Id"": ""006000000000001AAA"", ""Name"": ""Buyer deal"", ""IsClosed"": false }
]
");
                // Two contacts of one person in the same campaign; the duplicate's membership is linked to a closed opportunity.
                Write("exports/duplicate-contacts.json",
@"[
  { ""attributes"": { ""type"": ""Contact"" }, ""Id"": ""0035e00000Ar01AAAC"", ""LastName"": ""Okafor"", ""Status"": ""Working"" },
  { ""attributes"": { ""type"": ""Contact"" }, ""Id"": ""0035e00000Ar02AAAC"", ""LastName"": ""Okafor"", ""Status"": ""Customer"" },
  { ""attributes"": { ""type"": ""CampaignMember"" }, ""Id"": ""00v5e00000Ar01AAAC"", ""CampaignId"": ""7015e00000Wb3AAAAV"", ""ContactId"": ""0035e00000Ar01AAAC"", ""CreatedDate"": ""2025-01-10T08:00:00.000Z"", ""FCRM__FCR_Response_Status__c"": ""Working"", ""FCRM__FCR_Response_Date__c"": ""2025-01-10T08:00:00.000Z"" },
  { ""attributes"": { ""type"": ""CampaignMember"" }, ""Id"": ""00v5e00000Ar02AAAC"", ""CampaignId"": ""7015e00000Wb3AAAAV"", ""ContactId"": ""0035e00000Ar02AAAC"", ""CreatedDate"": ""2025-03-01T08:00:00.000Z"", ""FCRM__FCR_Response_Status__c"": ""Working"", ""FCRM__FCR_Response_Date__c"": ""2025-03-01T08:00:00.000Z"", ""FCRM__FCR_Opportunity__c"": ""0065e00000Ar01AAAC"" },
  { ""attributes"": { ""type"": ""Opportunity"" }, ""Id"": ""0065e00000Ar01AAAC"", ""Name"": ""Okafor renewal"", ""IsClosed"": true }
]
");
                // An org's funnel status configuration made from the built-in example, and one with a mistake.
                Write("config/funnel-status.json",
@"{
  ""$comment"": ""Contoso's funnel: the example statuses, a passive sales-ops user, partner leads excluded from the funnel."",
  ""schemaVersion"": 1,
  ""leadStatuses"": [
    { ""value"": ""Open - Not Contacted"", ""active"": true, ""order"": 1 },
    { ""value"": ""Attempting Contact"", ""active"": true, ""order"": 2 },
    { ""value"": ""Working"", ""active"": true, ""order"": 3 },
    { ""value"": ""Marketing Qualified"", ""active"": true, ""order"": 4 },
    { ""value"": ""Disqualified"", ""active"": false },
    { ""value"": ""Nurture"", ""active"": false },
    { ""value"": ""Remarket"", ""active"": false },
    { ""value"": ""Closed - Converted"", ""active"": false }
  ],
  ""contactStatuses"": [
    { ""value"": ""Open - Not Contacted"", ""active"": true, ""order"": 1 },
    { ""value"": ""Attempting Contact"", ""active"": true, ""order"": 2 },
    { ""value"": ""Working"", ""active"": true, ""order"": 3 },
    { ""value"": ""Marketing Qualified"", ""active"": true, ""order"": 4 },
    { ""value"": ""Active Opportunity"", ""active"": false },
    { ""value"": ""Disqualified"", ""active"": false },
    { ""value"": ""Nurture"", ""active"": false },
    { ""value"": ""Remarket"", ""active"": false },
    { ""value"": ""Customer"", ""active"": false }
  ],
  ""resolution"": { ""merged"": ""Resolved - Merged"", ""nonResponseRecordType"": ""Resolved - Non-Response RT"" },
  ""passive"": { ""org"": false, ""users"": [ ""005000000000009AAA"" ], ""recordTypes"": [] },
  ""nonResponseRecordTypes"": [ ""012000000000PRTAAA"" ],
  ""contactStatusWhenConvertedWithOpportunity"": ""Active Opportunity"",
  ""additionalResponse"": ""ResponsePromptOnly"",
  ""leadConversionStatusOverrides"": { ""Nurture"": ""Nurture"", ""Disqualified"": ""Disqualified"", ""Remarket"": ""Remarket"" },
  ""survivingResponse"": ""Oldest"",
  ""membershipSurvivor"": ""Responded"",
  ""systemCampaignId"": ""701000000000099AAA""
}
");
                Write("config/funnel-typo.json",
@"{
  ""schemaVersion"": 1,
  ""leadStatuses"": [
    { ""value"": ""Working"", ""active"": true, ""order"": 1 },
    { ""value"": ""Nurture"", ""active"": false }
  ],
  ""contactStatuses"": [
    { ""value"": ""Working"", ""active"": true, ""order"": 1 },
    { ""value"": ""Active Opportunity"", ""active"": false },
    { ""value"": ""Nurture"", ""active"": false }
  ],
  ""leadConversionStatusOverrides"": { ""Working"": ""Nurture"" }
}
");
                // Ids the marketing team asked to delete.
                // Update-ContactKey: what Salesforce answered to the inserts of Convert-LeadRecord's change files for
                // exports/web-leads.jsonl - a Data Loader success file of Contact-insert.csv (Data Loader writes the new id
                // over the file's Id column; the provisional id rides in LeadTools_ProvisionalId) and the JSON of
                // sf data import tree --json for inserts-tree.json (refId = the provisional id).
                Write("results/Contact-insert-success.csv",
@"""ID"",""ACCOUNTID"",""FIRSTNAME"",""LASTNAME"",""EMAIL"",""LEADSOURCE"",""LEADTOOLS_PROVISIONALID"",""STATUS""
""0035e00000Nw1dAAAC"",""001LTi7F5cpU4FhwKE"",""Sofia"",""Rossi"",""sofia.rossi@example.it"",""Web"",""003LTi7AT8kDUBn0QG"",""Item Created""
""0035e00000Nw2eAAAC"",""001LTi76cLV24p81KY"",""Jonas"",""Berg"",""jonas.berg@example.se"",""Web"",""003LTi7JzwupVUPaKm"",""Item Created""
");
                Write("results/import-tree-result.json",
@"{ ""status"": 0, ""result"": [
  { ""refId"": ""001LTi7F5cpU4FhwKE"", ""type"": ""Account"", ""id"": ""0015e00000Nw1dAAAC"" },
  { ""refId"": ""001LTi76cLV24p81KY"", ""type"": ""Account"", ""id"": ""0015e00000Nw2eAAAC"" },
  { ""refId"": ""003LTi7AT8kDUBn0QG"", ""type"": ""Contact"", ""id"": ""0035e00000Nw1dAAAC"" },
  { ""refId"": ""003LTi7JzwupVUPaKm"", ""type"": ""Contact"", ""id"": ""0035e00000Nw2eAAAC"" },
  { ""refId"": ""006LTi7IkW1nYOJX2l"", ""type"": ""Opportunity"", ""id"": ""0065e00000Nw1dAAAC"" },
  { ""refId"": ""006LTi79nH4rp7vOUV"", ""type"": ""Opportunity"", ""id"": ""0065e00000Nw2eAAAC"" }
] }
");
                // A lead export after conversions done in Salesforce (IsConverted, ConvertedContactId, ConvertedDate): Np4W
                // became the new contact PqRd; Ab9Z, never registered, went into the existing contact PqRb.
                Write("exports/Lead-converted.csv",
@"Id,FirstName,LastName,Email,Status,IsConverted,ConvertedContactId,ConvertedAccountId,ConvertedDate
00Q5e00000Np4WAEAZ,Mei,Tanaka,mei.tanaka@example.com,Closed - Converted,true,0035e00000PqRdAAAV,0015e00000XyZdAAAV,2024-07-01
00Q5e00000Ab9ZEEAV,Chidi,Okafor,chidi@okafor.example,Closed - Converted,true,0035e00000PqRbAAAV,0015e00000XyZbAAAV,2024-07-02
00Q5e00000AbCdEEAV,Ada,Lovelace,ada@example.com,Open - Not Contacted,false,,,
");
                Write("requests/deletion-request.csv",
@"Id,Email,RequestedBy
00Q5e00000Kd7XAEAZ,an.nguyen@example.com,marketing-cleanup
0035e00000PqRcAAAV,an.nguyen@example.com,marketing-cleanup
00Q5e00000Np4WAEAZ,mei.tanaka@example.com,marketing-cleanup
00Q5e00000ZzZzAEAZ,old.address@example.com,marketing-cleanup
");
                // Sync-PersonAccountTags: the ActiveCampaign v3 export and the Salesforce person accounts of tests/pester/data,
                // and an org's tag configuration (record type, update policies, Flagged outbound option).
                foreach (var name in new[] { "ac-tags.json", "sf-person-accounts.json" })
                {
                    File.Copy(Path.Combine(Paths.RepoRoot, "tests", "pester", "data", name), Path.Combine(root, "exports", name));
                }
                Write("config/person-account-tags.json",
@"{
  ""schemaVersion"": 1,
  ""defaultRecordTypeId"": ""012000000000PAAAAA"",
  ""fieldMapping"": [
    { ""from"": ""firstName"", ""to"": ""FirstName"", ""policy"": ""AlwaysUpdate"" },
    { ""from"": ""lastName"", ""to"": ""LastName"", ""policy"": ""UpdateIfBlank"" },
    { ""from"": ""email"", ""to"": ""PersonEmail"", ""policy"": ""AlwaysUpdate"" },
    { ""from"": ""phone"", ""to"": ""Phone"", ""policy"": ""UpdateIfBlank"" }
  ],
  ""outbound"": { ""mode"": ""Flagged"", ""field"": ""Sync_To_AC__c"", ""equals"": ""true"" }
}
");
                // Sync-CrmRecord: a local (marketing) snapshot and a Salesforce snapshot of linked leads, and a sync profile.
                Write("exports/sync-local.json",
@"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L1"", ""LastName"": ""Nguyen"", ""Company"": ""Example Corp"", ""Email"": ""an.nguyen@example.com"", ""Title"": ""CTO"", ""LeadScore"": 80, ""CrmId"": ""00Q5e00000Rt8ZAEAZ"", ""ModifiedDate"": ""2026-01-20T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L2"", ""LastName"": ""Tanaka"", ""Company"": ""Tanaka Design"", ""Email"": ""mei.tanaka@example.com"", ""Title"": ""Owner"", ""LeadScore"": 40, ""CrmId"": ""00Q5e00000Ru1bAEAZ"", ""ModifiedDate"": ""2025-12-01T00:00:00.000Z"" }
]
");
                Write("exports/sync-salesforce.json",
@"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q5e00000Rt8ZAEAZ"", ""LastName"": ""Nguyen"", ""Company"": ""Example Corp"", ""Email"": ""an.nguyen@example.com"", ""Title"": ""Head of Data"", ""Lead_Score__c"": 80, ""LastModifiedDate"": ""2026-01-10T00:00:00.000Z"" },
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""00Q5e00000Ru1bAEAZ"", ""LastName"": ""Tanaka"", ""Company"": ""Tanaka Design"", ""Email"": ""mei.tanaka@example.com"", ""Title"": ""Founder"", ""Lead_Score__c"": 40, ""LastModifiedDate"": ""2026-01-10T00:00:00.000Z"" }
]
");
                Write("exports/sync-local-new.json",
@"[
  { ""attributes"": { ""type"": ""Lead"" }, ""Id"": ""L3"", ""LastName"": ""Okafor"", ""Company"": ""Okafor Labs"", ""Email"": ""ada@okafor.example"", ""ModifiedDate"": ""2026-01-20T00:00:00.000Z"" }
]
");
                Write("exports/lead-insert-success.csv",
                    "\"ID\",\"LEADGEN_ID__C\",\"LASTNAME\",\"COMPANY\",\"EMAIL\",\"STATUS\"\r\n\"00Q5e00000Rv2cAEAZ\",\"L3\",\"Okafor\",\"Okafor Labs\",\"ada@okafor.example\",\"Item Created\"\r\n");
                Write("config/sync-profile.json",
@"{ ""schemaVersion"": 1, ""objects"": { ""Leads"": { ""direction"": ""two-way"", ""fields"": { ""Title"": ""pull"" } } } }
");
                return root;
            }

            public static void Delete(string root)
            {
                try
                {
                    Directory.Delete(root, true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}
