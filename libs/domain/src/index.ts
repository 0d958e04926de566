export * from './ticket.types';
export * from './ticket.commands';
export * from './domain-error';
export * from './ticket.policy';
export * from './ticket.clocks';
export * from './ticket.machine';
export * from './ticket.access';
export * from './ticket.listing';
