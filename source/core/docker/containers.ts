// The shapes of a container listing, shared by the socket route (engine.ts) and the CLI route (list-cli.ts).

/** A container as the Engine lists it (the fields berth uses). */
export interface ContainerSummary {
	id: string;
	name: string;
	image: string;
	/** created, running, paused, restarting, removing, exited, dead */
	state: string;
	/** The Engine's human status, e.g. "Up 5 seconds (healthy)". */
	status: string;
	labels: Record<string, string>;
	ports: PublishedPort[];
	createdAt: number;
}

export interface PublishedPort {
	hostIp: string;
	hostPort: number;
	containerPort: number;
	protocol: string;
}

export interface ListOptions {
	all?: boolean;
	/** Label filters, e.g. ["com.docker.compose.project"] or ["com.docker.compose.project=x"]. */
	labels?: string[];
}
