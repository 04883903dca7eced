import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import {useState} from 'react';
import {errorMessage} from '../../core/errors.ts';
import {useServices} from '../contexts/services-context.tsx';
import {useTheme} from '../contexts/theme-context.tsx';
import {useFlavours} from '../hooks/use-flavours.ts';
import {commandFor, keyName} from '../keymap.ts';
import type {AppPlan, FlavourChoice, NewAppRequest} from '../services.ts';
import {TextPrompt} from './TextPrompt.tsx';

type Step = 'model' | 'model-name' | 'flavour' | 'variables' | 'plan' | 'creating';

const NEW_MODEL = '\u0000new';

/**
 * The new-app wizard: model (choose or type), flavour (ink-select-input, with descriptions), the
 * flavour's variables, the plan (files and ports), confirm. Esc leaves at any step without writing.
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

	const startVariables = (choice: FlavourChoice) => {
		setFlavour(choice);
		if (choice.variables.length === 0) {
			setValues({});
			makePlanFor(choice, {});
			return;
		}
		setVariable(0);
		setDraft(choice.variables[0]!.default ?? '');
		setStep('variables');
	};

	// The flavour state is not updated yet when the plan is asked for right after choosing it.
	const makePlanFor = (choice: FlavourChoice, next: Record<string, string>) => {
		setStep('plan');
		setPlan(null);
		setProblem(null);
		services.planApp({model, flavour: choice.id, variables: next}).then(setPlan, error => setProblem(errorMessage(error)));
	};

	useInput(
		(input, key) => {
			const name = keyName(input, key);
			if (step === 'plan') {
				const command = commandFor('confirm', name);
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
				return;
			}
			if (name === 'escape') onCancel();
		},
		{isActive: step === 'model' || step === 'flavour' || step === 'plan'},
	);

	const header = `New app${model ? ` · ${model}` : ''}${flavour ? ` · ${flavour.id}` : ''}`;
	const rows = Math.max(3, height - 6);
	let body;
	if (step === 'model') {
		const items = [{key: NEW_MODEL, label: '+ a new model…', value: NEW_MODEL}, ...models.map(id => ({key: id, label: id, value: id}))];
		const initialIndex = Math.max(
			0,
			items.findIndex(item => item.value === initialModel),
		);
		body = (
			<>
				<Text>Model (enter chooses, esc leaves):</Text>
				<SelectInput
					items={items}
					initialIndex={initialIndex}
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
				<Text>New model id (lowercase letters, digits, . _ -):</Text>
				<TextPrompt
					label="model: "
					value={draft}
					onChange={setDraft}
					onCancel={onCancel}
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
				<Text>Flavour:</Text>
				{flavourError ? <Text color={theme.status.error}>{flavourError}</Text> : null}
				{!flavours && !flavourError ? <Text>loading flavours…</Text> : null}
				{flavours && flavours.length === 0 ? <Text>no flavour plugins found</Text> : null}
				{flavours && flavours.length > 0 ? (
					<SelectInput
						items={flavours.map(f => ({key: f.id, label: `${f.id} — ${f.description}`, value: f.id}))}
						limit={rows}
						onSelect={item => startVariables(flavours.find(f => f.id === item.value)!)}
					/>
				) : null}
			</>
		);
	} else if (step === 'variables' && flavour) {
		const current = flavour.variables[variable]!;
		body = (
			<>
				<Text>{`Variable ${variable + 1}/${flavour.variables.length}: ${current.description}${current.required ? ' (required)' : ''}`}</Text>
				<TextPrompt
					label={`${current.key}: `}
					value={draft}
					onChange={setDraft}
					onCancel={onCancel}
					onSubmit={value => {
						if (current.required && !value.trim()) {
							setProblem(`${current.key} is required`);
							return;
						}
						setProblem(null);
						const next = {...values, [current.key]: value};
						setValues(next);
						if (variable + 1 < flavour.variables.length) {
							setVariable(variable + 1);
							setDraft(flavour.variables[variable + 1]!.default ?? '');
						} else {
							makePlanFor(flavour, next);
						}
					}}
				/>
			</>
		);
	} else {
		body = (
			<>
				{!plan && !problem ? <Text>planning…</Text> : null}
				{plan ? <Text>{`${plan.appId} in ${plan.appPath}`}</Text> : null}
				{plan ? (
					<Text>{`ports: ${
						Object.entries(plan.ports)
							.map(([slot, port]) => `${slot} ${port}`)
							.join('  ') || '-'
					}`}</Text>
				) : null}
				{plan?.files.slice(0, Math.max(1, rows - 3)).map(file => (
					<Text key={file.path} wrap="truncate">{`  ${file.action.padEnd(10)}${file.path}`}</Text>
				))}
				{plan && plan.files.length > rows - 3 ? <Text>{`  … ${plan.files.length - (rows - 3)} more`}</Text> : null}
				{step === 'creating' ? <Text>creating…</Text> : plan ? <Text bold>Create it? [y]es [n]o</Text> : null}
			</>
		);
	}
	return (
		<Box flexDirection="column" borderStyle="bold" borderColor={theme.border.focused} width={width} height={height} overflow="hidden">
			<Text bold color={theme.text.accent}>
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
