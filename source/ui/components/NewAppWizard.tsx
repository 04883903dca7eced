import {Box, Text} from 'ink';
import {useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import {useTheme} from '../contexts/theme-context.tsx';
import {useFlavours} from '../hooks/use-flavours.ts';
import {useKeymap} from '../contexts/keymap-context.tsx';
import {commandFor, yesNo} from '../keymap.ts';
import {useKeys} from '../hooks/use-keys.ts';
import type {AppPlan, FlavourChoice, FlavourVariable, NewAppRequest} from '../services.ts';
import {cut} from '../format.ts';
import {ChoiceList} from './ChoiceList.tsx';
import {TextPrompt} from './TextPrompt.tsx';

type Step = 'model' | 'model-name' | 'flavour' | 'variables' | 'plan' | 'creating';

const NEW_MODEL = '\u0000new';

/** A choice and a yes / no are picked from a list: its items, values as `--set` takes them. */
function choiceItems(variable: FlavourVariable): {key: string; label: string; value: string}[] {
	if (variable.kind === 'boolean')
		return [
			{key: 'true', label: 'yes', value: 'true'},
			{key: 'false', label: 'no', value: 'false'},
		];
	return (variable.choices ?? []).map(choice => ({key: choice, label: choice, value: choice}));
}

/** A list item cut to one line: a long description never wraps the list. */
function OneLineItem({isSelected = false, label}: {isSelected?: boolean; label: string}) {
	const theme = useTheme();
	return (
		<Text color={isSelected ? theme.text.accent : undefined} wrap="truncate">
			{label}
		</Text>
	);
}

/**
 * The new-app wizard: model (choose or type), flavour (ink-select-input, with descriptions, its keys
 * read by ChoiceList), the flavour's variables, the plan (files and ports), confirm. Each variable is
 * checked as it is typed (the manifest's own rules, with what it accepts); a choice or a yes / no is
 * picked from a list.
 * Esc goes back one step (the first step: leaves); nothing is written before the yes.
 */
export function NewAppWizard({
	models,
	initialModel,
	width,
	height,
	onCreated,
	onCancel,
}: {
	models: readonly string[];
	initialModel: string | null;
	width: number;
	height: number;
	onCreated: (appId: string, model: string) => void;
	onCancel: () => void;
}) {
	const services = useServices();
	const theme = useTheme();
	const keymap = useKeymap();
	const {flavours, error: flavourError} = useFlavours();
	const [step, setStep] = useState<Step>('model');
	const [model, setModel] = useState('');
	const [flavour, setFlavour] = useState<FlavourChoice | null>(null);
	const [values, setValues] = useState<Record<string, string>>({});
	const [variable, setVariable] = useState(0);
	const [draft, setDraft] = useState('');
	const [plan, setPlan] = useState<AppPlan | null>(null);
	const [problem, setProblem] = useState<string | null>(null);

	const request = (): NewAppRequest => ({model, flavour: flavour?.id ?? '', variables: values});

	/** Shows variable `index` of `choice`, its field holding the value given before, else the default. */
	const showVariable = (choice: FlavourChoice, index: number, given: Record<string, string>) => {
		const next = choice.variables[index]!;
		setVariable(index);
		setDraft(given[next.key] ?? next.default ?? '');
		setProblem(null);
		setStep('variables');
	};

	const startVariables = (choice: FlavourChoice) => {
		const given = choice.id === flavour?.id ? values : {};
		setFlavour(choice);
		setValues(given);
		if (choice.variables.length === 0) makePlanFor(choice, {});
		else showVariable(choice, 0, given);
	};

	// The flavour state is not updated yet when the plan is asked for right after choosing it.
	const makePlanFor = (choice: FlavourChoice, next: Record<string, string>) => {
		setStep('plan');
		setPlan(null);
		setProblem(null);
		services.planApp({model, flavour: choice.id, variables: next}).then(setPlan, error => setProblem(errorMessage(error)));
	};

	/** Takes a variable's value (already checked) and moves on: the next variable, or the plan. */
	const answer = (choice: FlavourChoice, value: string) => {
		const next = {...values, [choice.variables[variable]!.key]: value};
		setValues(next);
		if (variable + 1 < choice.variables.length) showVariable(choice, variable + 1, next);
		else makePlanFor(choice, next);
	};

	/** Esc: one step back; from the first step, out of the wizard. */
	const back = () => {
		setProblem(null);
		if (step === 'model') onCancel();
		else if (step === 'model-name' || step === 'flavour') setStep('model');
		else if (step === 'variables' && flavour) {
			// What was typed in this field is kept for when the user comes back to it.
			const next =
				flavour.variables[variable]!.kind === 'text' || flavour.variables[variable]!.kind === 'number'
					? {...values, [flavour.variables[variable]!.key]: draft}
					: values;
			setValues(next);
			if (variable > 0) showVariable(flavour, variable - 1, next);
			else setStep('flavour');
		} else if (step === 'plan' && flavour) {
			if (flavour.variables.length > 0) showVariable(flavour, flavour.variables.length - 1, values);
			else setStep('flavour');
		}
	};

	useKeys(
		({name}) => {
			if (name === 'escape') {
				back();
				return;
			}
			if (step === 'plan') {
				const command = commandFor('confirm', name, keymap);
				if (command === 'cancel') onCancel();
				else if (command === 'confirm' && plan) {
					setStep('creating');
					services.createApp(plan, request()).then(
						() => onCreated(plan.appId, model),
						error => {
							setStep('plan');
							setProblem(`creating ${plan.appId} failed: ${errorMessage(error)}`);
						},
					);
				}
			}
		},
		// Text fields read their own keys (esc included); lists leave esc to this handler.
		{
			isActive:
				step === 'model' ||
				step === 'flavour' ||
				step === 'plan' ||
				(step === 'variables' && flavour?.variables[variable]?.kind !== 'text' && flavour?.variables[variable]?.kind !== 'number'),
		},
	);

	const header = `New app${model ? ` · ${model}` : ''}${flavour ? ` · ${flavour.id}` : ''}`;
	// Rows inside the border under the title line, less the problem line when there is one: every line
	// is cut to the width, and lists and the file list get only the rows left, so nothing is pushed out.
	const room = Math.max(1, height - 3 - (problem ? 1 : 0));
	const rows = Math.max(1, room - 1);
	// The plan's files under its two lines and over the question: all of them, or as many as fit and "… N more".
	const fileRoom = Math.max(1, room - 3);
	const shownFiles = plan && plan.files.length > fileRoom ? fileRoom - 1 : fileRoom;
	let body;
	if (step === 'model') {
		const items = [{key: NEW_MODEL, label: '+ a new model…', value: NEW_MODEL}, ...models.map(id => ({key: id, label: id, value: id}))];
		const initialIndex = Math.max(
			0,
			items.findIndex(item => item.value === initialModel),
		);
		body = (
			<>
				<Text wrap="truncate">Model (enter chooses, esc leaves):</Text>
				<ChoiceList
					key="model"
					items={items.map(item => ({...item, label: cut(item.label, width - 4)}))}
					initialIndex={initialIndex}
					itemComponent={OneLineItem}
					limit={rows}
					onSelect={item => {
						if (item.value === NEW_MODEL) {
							setDraft('');
							setStep('model-name');
						} else {
							setModel(item.value);
							setStep('flavour');
						}
					}}
				/>
			</>
		);
	} else if (step === 'model-name') {
		body = (
			<>
				<Text wrap="truncate">New model id (lowercase letters, digits, . _ -):</Text>
				<TextPrompt
					label="model: "
					value={draft}
					onChange={setDraft}
					onCancel={back}
					onSubmit={value => {
						const id = value.trim();
						if (!/^[a-z0-9][a-z0-9._-]*$/.test(id) || id.length > 128) {
							setProblem(`"${id}" is not a model id: use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit`);
							return;
						}
						setProblem(null);
						setModel(id);
						setStep('flavour');
					}}
				/>
			</>
		);
	} else if (step === 'flavour') {
		body = (
			<>
				<Text wrap="truncate">Flavour:</Text>
				{flavourError ? (
					<Text wrap="truncate" color={theme.status.error}>
						{flavourError}
					</Text>
				) : null}
				{!flavours && !flavourError ? <Text wrap="truncate">loading flavours…</Text> : null}
				{flavours && flavours.length === 0 ? <Text wrap="truncate">no flavour plugins found</Text> : null}
				{flavours && flavours.length > 0 ? (
					<ChoiceList
						key="flavour"
						items={flavours.map(f => ({key: f.id, label: cut(`${f.id} — ${f.description}`, width - 4), value: f.id}))}
						initialIndex={Math.max(
							0,
							flavours.findIndex(f => f.id === flavour?.id),
						)}
						itemComponent={OneLineItem}
						limit={rows}
						onSelect={item => startVariables(flavours.find(f => f.id === item.value)!)}
					/>
				) : null}
			</>
		);
	} else if (step === 'variables' && flavour) {
		const current = flavour.variables[variable]!;
		const typed = current.kind === 'text' || current.kind === 'number';
		const check = typed ? current.problem(draft) : null;
		const items = choiceItems(current);
		const chosen = values[current.key] ?? current.default;
		body = (
			<>
				<Text wrap="truncate">{`Variable ${variable + 1}/${flavour.variables.length}: ${current.description}`}</Text>
				<Text wrap="truncate" color={theme.text.muted}>{`accepts: ${current.accepts}`}</Text>
				{typed ? (
					<>
						<TextPrompt
							key={current.key}
							label={`${current.key}: `}
							value={draft}
							onChange={setDraft}
							onCancel={back}
							onSubmit={value => {
								if (!current.problem(value)) answer(flavour, value);
							}}
						/>
						<Text wrap="truncate" color={check ? theme.status.error : theme.status.ok}>
							{check ? `✗ ${check}` : `✓ ${draft}`}
						</Text>
					</>
				) : (
					<ChoiceList
						key={current.key}
						items={items.map(item => ({...item, label: cut(item.label, width - 4)}))}
						initialIndex={Math.max(
							0,
							items.findIndex(item => item.value === chosen),
						)}
						itemComponent={OneLineItem}
						limit={Math.max(1, rows - 1)}
						onSelect={item => answer(flavour, item.value)}
					/>
				)}
			</>
		);
	} else {
		body = (
			<>
				{!plan && !problem ? <Text wrap="truncate">planning…</Text> : null}
				{plan ? <Text wrap="truncate">{`${plan.appId} in ${plan.appPath}`}</Text> : null}
				{plan ? (
					<Text wrap="truncate">{`ports: ${
						Object.entries(plan.ports)
							.map(([slot, port]) => `${slot} ${port}`)
							.join('  ') || '-'
					}`}</Text>
				) : null}
				{plan?.files.slice(0, shownFiles).map(file => (
					<Text key={file.path} wrap="truncate">{`  ${file.action.padEnd(10)}${file.path}`}</Text>
				))}
				{plan && plan.files.length > shownFiles ? <Text wrap="truncate">{`  … ${plan.files.length - shownFiles} more`}</Text> : null}
				{step === 'creating' ? (
					<Text wrap="truncate">creating…</Text>
				) : plan ? (
					<Text wrap="truncate" bold>
						{`Create it? ${yesNo(keymap)}`}
					</Text>
				) : null}
			</>
		);
	}
	return (
		<Box flexDirection="column" borderStyle="bold" borderColor={theme.border.focused} width={width} height={height} overflow="hidden">
			<Text bold color={theme.text.accent} wrap="truncate">
				{header}
			</Text>
			{body}
			{problem ? (
				<Text color={theme.status.error} wrap="truncate">
					{problem}
				</Text>
			) : null}
		</Box>
	);
}
