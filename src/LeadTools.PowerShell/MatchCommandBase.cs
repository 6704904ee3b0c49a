using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Language;
using LeadTools.Core.Conversion;
using LeadTools.Core.Matching;

namespace LeadTools.PowerShell
{
    /// <summary>Tab completion of the built-in matching strategy names (a JSON strategy file path is completed by the shell as a path).</summary>
    public sealed class MatchStrategyCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            ObjectTypeCompleter.Complete(MatchStrategy.BuiltInNames, wordToComplete);
    }

    /// <summary>Shared by the matching cmdlets: the -Strategy parameter (a built-in name or a JSON strategy file).</summary>
    public abstract class MatchCommandBase : PSCmdlet
    {
        /// <summary>The default strategy: Salesforce's standard lead/contact matching rule.</summary>
        public const string DefaultStrategy = "SalesforceStandard";

        /// <summary>
        /// The default of Find-CrmDuplicate and Test-CrmMatch (issue 16): SafeMerge, the strategy safest to merge on
        /// (vetoes on contradicting evidence, term-frequency limits); SalesforceStandard reproduces Salesforce's rule
        /// faithfully, its false positives included.
        /// </summary>
        public const string SafeDefaultStrategy = "SafeMerge";

        /// <summary>A built-in strategy name (SafeMerge, SalesforceStandard, DataverseDefault, EmailExact, PersonRecords) or the path of a JSON strategy file.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(MatchStrategyCompleter))]
        [ValidateNotNullOrEmpty]
        public string Strategy { get; set; } = DefaultStrategy;

        /// <summary>The strategy, resolved once in BeginProcessing by <see cref="ResolveStrategy()"/>.</summary>
        protected MatchStrategy MatchStrategy { get; private set; } = null!;

        /// <summary>Resolves -Strategy; a name that is neither built in nor a file stops the command with UnknownStrategy, a bad file with InvalidStrategy.</summary>
        protected void ResolveStrategy() => MatchStrategy = ResolveStrategy(Strategy);

        /// <summary>Resolves a strategy name or file as -Strategy does (same errors).</summary>
        protected MatchStrategy ResolveStrategy(string strategy)
        {
            var builtIn = MatchStrategy.BuiltIn(strategy);
            if (builtIn != null) return builtIn;
            var path = GetUnresolvedProviderPathFromPSPath(strategy);
            if (!File.Exists(path))
            {
                ThrowTerminatingError(Errors.Create(
                    new ArgumentException($"'{strategy}' is neither a built-in strategy ({string.Join(", ", MatchStrategy.BuiltInNames)}) nor a strategy file."),
                    "UnknownStrategy", ErrorCategory.ObjectNotFound, strategy));
            }
            try
            {
                return MatchStrategyFile.Load(path);
            }
            catch (ConfigurationException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "InvalidStrategy", ErrorCategory.InvalidData, ex.Key ?? path));
            }
            return null!;
        }
    }
}
